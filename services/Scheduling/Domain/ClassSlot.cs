namespace Capture.Scheduling.Domain;

/// <summary>A college's sub-allocation (二次分配, 003 §5.2): one class's time inside the college's session window.</summary>
public sealed class ClassSlot
{
    public Guid Id { get; set; }

    public Guid AllocationId { get; set; }

    public required string ClassName { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }
}
