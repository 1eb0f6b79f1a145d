namespace Capture.Scheduling.Domain;

/// <summary>A campus (校区) of a school. Registrations name their campus by code or name.</summary>
public sealed class Campus
{
    public Guid Id { get; set; }

    public required string SchoolCode { get; set; }

    public required string Code { get; set; }

    public required string Name { get; set; }
}
