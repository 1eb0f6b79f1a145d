namespace Capture.Registration.Domain;

/// <summary>
/// pending (waits for the school's decision) → applied or rejected. A correction raised by a data dispute at
/// verification starts as <see cref="Requested"/>: the field is known, the correct value not yet (the student gives it
/// in their correction form, or the school admin enters it when approving).
/// </summary>
public static class CorrectionStatus
{
    public const string Requested = "requested";
    public const string Pending = "pending";
    public const string Applied = "applied";
    public const string Rejected = "rejected";

    public static IReadOnlyList<string> All { get; } = [Requested, Pending, Applied, Rejected];
}
