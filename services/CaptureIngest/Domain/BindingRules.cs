namespace Capture.CaptureIngest.Domain;

/// <summary>What to do with a photo given what is known of its shoot number.</summary>
public abstract record BindingDecision
{
    public sealed record Bind(Guid RegistrationId, Guid CampaignId) : BindingDecision;

    /// <summary>Hold for a person: <paramref name="Kind"/> is a short fixed label (metrics), <paramref name="Reason"/> the sentence a person reads.</summary>
    public sealed record Hold(string Kind, string Reason) : BindingDecision;

    public sealed record Wait : BindingDecision;
}

/// <summary>Why a photo is held, as a short fixed label (metrics and filters); the reason text is what a person reads.</summary>
public static class HoldKind
{
    /// <summary>No check-in for the shoot number arrived in time (the sweeper).</summary>
    public const string NeverCheckedIn = "never-checked-in";

    /// <summary>The shoot number belongs to a registration withdrawn before the photo was bound.</summary>
    public const string Withdrawn = "withdrawn";

    /// <summary>The registration was withdrawn after its photos were bound.</summary>
    public const string WithdrawnAfterBinding = "withdrawn-after-binding";

    /// <summary>The capture code photographed as the keyframe names another registration than the check-in.</summary>
    public const string KeyframeDisagreement = "keyframe-disagreement";

    /// <summary>The shoot number was checked in for two registrations.</summary>
    public const string ShootNumberIssuedTwice = "shoot-number-issued-twice";
}

/// <summary>
/// The binding rules (张冠李戴 must be impossible): a photo binds only to the registration checked in under its own
/// station, day and shoot number; never to a withdrawn one; never against its shoot's capture-code keyframe; never
/// by order or by guess. Rules only, no I/O.
/// </summary>
public static class BindingRules
{
    public static BindingDecision Decide(ShootCheckIn? checkIn, bool withdrawn, Guid? keyframeRegistration)
    {
        if (checkIn is null)
        {
            return new BindingDecision.Wait();
        }

        if (withdrawn)
        {
            return new BindingDecision.Hold(
                HoldKind.Withdrawn,
                $"Shoot number {checkIn.ShootNumber} belongs to registration {checkIn.RegistrationId}, which was withdrawn from the campaign: a person must decide.");
        }

        if (keyframeRegistration is { } scanned && scanned != checkIn.RegistrationId)
        {
            return new BindingDecision.Hold(HoldKind.KeyframeDisagreement, KeyframeDisagreement(checkIn.ShootNumber, checkIn.RegistrationId, scanned));
        }

        return new BindingDecision.Bind(checkIn.RegistrationId, checkIn.CampaignId);
    }

    public static string KeyframeDisagreement(string shootNumber, Guid checkedIn, Guid scanned) =>
        $"The capture code photographed for shoot number {shootNumber} is registration {scanned}, but {shootNumber} was checked in for registration {checkedIn}: "
        + "every photo of this shoot number is held until a person checks who was photographed.";

    public static string NeverCheckedIn(string shootNumber, TimeSpan waited) =>
        $"No check-in for shoot number {shootNumber} at this station and day arrived within {Duration(waited)}: check the number on the sheet and bind the photo by hand.";

    /// <summary>"10 minutes", "1 minute", "90 seconds": whole minutes where the wait is whole minutes, else seconds.</summary>
    public static string Duration(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerMinute == 0 && span >= TimeSpan.FromMinutes(1)
            ? (span.TotalMinutes == 1 ? "1 minute" : $"{span.TotalMinutes:0} minutes")
            : (Math.Round(span.TotalSeconds) == 1 ? "1 second" : $"{Math.Round(span.TotalSeconds):0} seconds");

    /// <summary>A shoot number looks like the station code, a dash and a running number: <c>B2-0137</c>, <c>B1-10000</c>.</summary>
    public static bool IsShootNumber(string? value) =>
        value is { Length: > 2 and <= Limits.ShootNumber }
        && value.IndexOf('-') is var dash and > 0 and <= 8
        && value[..dash].All(char.IsAsciiLetterOrDigit)
        && dash < value.Length - 1
        && value[(dash + 1)..].All(char.IsAsciiDigit);
}
