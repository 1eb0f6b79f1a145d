namespace Capture.Scheduling.Domain;

/// <summary>A session as check-in rules see it.</summary>
public sealed record SessionSlot(Guid SessionId, SessionKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Closed);

/// <summary>Everything check-in decides on, loaded beforehand; the rules themselves do no I/O.</summary>
public sealed record CheckInFacts(
    SessionSlot ThisSession,
    bool RegistrationActive,
    long FeeFen,
    bool Paid,
    bool PhotographedAlready,
    bool HasMakeupBookingHere,
    IReadOnlyList<SessionSlot> OwnSessions,
    string? OverrideReason);

/// <summary>Why a student is refused. <see cref="Overridable"/> refusals may be admitted by the operator with a reason.</summary>
public enum RefusalReason
{
    NotApproved,
    Unpaid,
    AlreadyCaptured,
    SessionClosed,
    WrongSession,
    NotScheduled,
    NoMakeupBooking,
}

public sealed record CheckInDecision(bool Admitted, bool Late, bool Overridden, RefusalReason? Refusal, IReadOnlyList<string> Warnings)
{
    public static bool Overridable(RefusalReason reason) =>
        reason is RefusalReason.WrongSession or RefusalReason.NotScheduled or RefusalReason.NoMakeupBooking;
}

/// <summary>
/// Who may be checked in (004 §4.2): an approved registration, paid unless the campaign's fee is 0, not captured
/// already (a makeup booking allows a re-capture), in its own session, or late (its own session was earlier: it
/// queues after everyone who came on time). A student of another session is refused unless the operator gives a
/// reason, which is recorded with the operator's identity.
/// </summary>
public static class CheckInRules
{
    public static CheckInDecision Decide(CheckInFacts facts)
    {
        var warnings = new List<string>();
        var session = facts.ThisSession;
        if (session.Closed)
        {
            return Refuse(RefusalReason.SessionClosed);
        }

        if (!facts.RegistrationActive)
        {
            return Refuse(RefusalReason.NotApproved);
        }

        if (facts.FeeFen > 0 && !facts.Paid)
        {
            return Refuse(RefusalReason.Unpaid);
        }

        var isMakeup = session.Kind == SessionKind.Makeup;
        if (facts.PhotographedAlready && !(isMakeup && facts.HasMakeupBookingHere))
        {
            return Refuse(RefusalReason.AlreadyCaptured);
        }

        RefusalReason? misplaced = null;
        var late = false;
        if (isMakeup)
        {
            if (!facts.HasMakeupBookingHere)
            {
                misplaced = RefusalReason.NoMakeupBooking;
            }
        }
        else if (facts.OwnSessions.Count == 0)
        {
            misplaced = RefusalReason.NotScheduled;
        }
        else if (!facts.OwnSessions.Any(s => s.SessionId == session.SessionId))
        {
            if (facts.OwnSessions.Any(s => s.StartsAt < session.StartsAt))
            {
                late = true;
                warnings.Add("Late: the student's own session was earlier. They queue at the end of this session.");
            }
            else
            {
                misplaced = RefusalReason.WrongSession;
            }
        }

        if (misplaced is { } reason)
        {
            if (string.IsNullOrWhiteSpace(facts.OverrideReason))
            {
                return Refuse(reason);
            }

            warnings.Add($"Admitted by override: {facts.OverrideReason.Trim()}");
            return new CheckInDecision(true, false, true, null, warnings);
        }

        if (facts.PhotographedAlready)
        {
            warnings.Add("Re-capture: the student was photographed before and booked this makeup session.");
        }

        return new CheckInDecision(true, late, false, null, warnings);
    }

    private static CheckInDecision Refuse(RefusalReason reason) => new(false, false, false, reason, []);
}
