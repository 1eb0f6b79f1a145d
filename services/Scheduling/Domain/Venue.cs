namespace Capture.Scheduling.Domain;

/// <summary>A room where capture happens (e.g. 文汇楼一栋1403教室). A station operator's <c>venue</c> claim is this venue's id.</summary>
public sealed class Venue
{
    public Guid Id { get; set; }

    public required string SchoolCode { get; set; }

    public Guid CampusId { get; set; }

    public required string Code { get; set; }

    public required string Name { get; set; }

    public required string Building { get; set; }

    public required string Room { get; set; }
}
