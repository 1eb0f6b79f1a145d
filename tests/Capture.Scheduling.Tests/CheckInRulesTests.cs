using Capture.Scheduling.Domain;

namespace Capture.Scheduling.Tests;

public sealed class CheckInRulesTests
{
    private static readonly DateTimeOffset Nine = new(2030, 10, 25, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly SessionSlot Early = new(Guid.NewGuid(), SessionKind.Regular, Nine.AddHours(-1), Nine, false);
    private static readonly SessionSlot Current = new(Guid.NewGuid(), SessionKind.Regular, Nine, Nine.AddHours(1), false);
    private static readonly SessionSlot LaterOne = new(Guid.NewGuid(), SessionKind.Regular, Nine.AddHours(1), Nine.AddHours(2), false);

    private static CheckInFacts Facts(SessionSlot own, long fee = 0, bool paid = false, bool photographed = false, string? reason = null, SessionSlot? here = null) =>
        new(here ?? Current, true, fee, paid, photographed, false, [own], reason);

    [Fact]
    public void Own_session_is_admitted_on_time()
    {
        var d = CheckInRules.Decide(Facts(Current));
        Assert.True(d.Admitted);
        Assert.False(d.Late);
    }

    [Fact]
    public void An_earlier_session_means_late_and_admitted()
    {
        var d = CheckInRules.Decide(Facts(Early));
        Assert.True(d.Admitted);
        Assert.True(d.Late);
    }

    [Fact]
    public void A_later_session_is_refused_unless_overridden_with_a_reason()
    {
        Assert.Equal(RefusalReason.WrongSession, CheckInRules.Decide(Facts(LaterOne)).Refusal);
        Assert.Equal(RefusalReason.WrongSession, CheckInRules.Decide(Facts(LaterOne, reason: "  ")).Refusal);
        var d = CheckInRules.Decide(Facts(LaterOne, reason: "leaves for an exam"));
        Assert.True(d.Admitted && d.Overridden);
    }

    [Fact]
    public void Unpaid_is_refused_when_there_is_a_fee_and_override_does_not_help()
    {
        Assert.Equal(RefusalReason.Unpaid, CheckInRules.Decide(Facts(Current, fee: 2000, reason: "please")).Refusal);
        Assert.True(CheckInRules.Decide(Facts(Current, fee: 2000, paid: true)).Admitted);
        Assert.True(CheckInRules.Decide(Facts(Current, fee: 0)).Admitted);
    }

    [Fact]
    public void Captured_already_is_refused_and_a_closed_session_admits_nobody()
    {
        Assert.Equal(RefusalReason.AlreadyCaptured, CheckInRules.Decide(Facts(Current, photographed: true)).Refusal);
        Assert.Equal(RefusalReason.SessionClosed, CheckInRules.Decide(Facts(Current, here: Current with { Closed = true })).Refusal);
    }
}
