namespace Capture.Scheduling.Domain;

/// <summary>A college given (part of) a session with an expected headcount. A split college has parts 1, 2, ... in consecutive sessions.</summary>
public sealed class Allocation
{
    public Guid Id { get; set; }

    public Guid CampaignId { get; set; }

    public Guid SessionId { get; set; }

    public required string CollegeCode { get; set; }

    public int ExpectedHeadcount { get; set; }

    public int Part { get; set; } = 1;

    public List<ClassSlot> ClassSlots { get; set; } = [];
}
