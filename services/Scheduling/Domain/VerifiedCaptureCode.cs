namespace Capture.Scheduling.Domain;

/// <summary>
/// A capture code Registration confirmed once (stored as its SHA-256, never in clear). When Registration is
/// unreachable, a code seen here is accepted against the local copy of the registration; a revoked code is removed.
/// </summary>
public sealed class VerifiedCaptureCode
{
    public required string CodeHash { get; set; }

    public Guid RegistrationId { get; set; }

    public DateTimeOffset VerifiedAt { get; set; }

    /// <summary>The code's version as Registration reported it (null from an older Registration).</summary>
    public int? Version { get; set; }
}
