namespace Capture.Registration.Domain;

public static class CorrectionStatus
{
    public const string Pending = "pending";
    public const string Applied = "applied";
    public const string Rejected = "rejected";

    public static IReadOnlyList<string> All { get; } = [Pending, Applied, Rejected];
}
