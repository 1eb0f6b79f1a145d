namespace Capture.StationAgent.Core;

/// <summary>What a scan did: a check-in (with the shoot number now current), a refusal with its reason, or no answer.</summary>
public sealed record ScanOutcome(
    bool Accepted,
    string? ShootNumber,
    string? StudentName,
    string? CollegeName,
    IReadOnlyList<string> Warnings,
    string? Reason,
    string? Detail,
    bool Repeated,
    CheckInAnswer? Answer)
{
    /// <summary>The student belongs to another session: the operator may scan again with the school's reason.</summary>
    public bool NeedsOverrideReason => Reason == "wrong-session";
}
