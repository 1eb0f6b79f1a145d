namespace Capture.Registration.Domain;

/// <summary>
/// registered (from the roster) → confirmed (the student checked the data) → approved or rejected (the college);
/// approved → withdrawn (the school). A college may approve without waiting for the student's confirmation.
/// </summary>
public static class RegistrationStatus
{
    public const string Registered = "registered";
    public const string Confirmed = "confirmed";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Withdrawn = "withdrawn";

    public static IReadOnlyList<string> All { get; } = [Registered, Confirmed, Approved, Rejected, Withdrawn];
}
