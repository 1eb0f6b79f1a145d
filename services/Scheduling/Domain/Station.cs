namespace Capture.Scheduling.Domain;

/// <summary>One camera position in a venue. Its code prefixes its shoot numbers (B2-0137); its throughput sizes sessions.</summary>
public sealed class Station
{
    public Guid Id { get; set; }

    public Guid VenueId { get; set; }

    public required string Code { get; set; }

    public required string Name { get; set; }

    public int ThroughputPerHour { get; set; }
}
