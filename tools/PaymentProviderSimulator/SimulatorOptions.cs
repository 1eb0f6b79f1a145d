namespace Capture.PaymentProviderSimulator;

/// <summary>How the simulator behaves (section <c>Simulator</c>); the behaviour can also be changed at run time through <c>POST /sim/behaviour</c>.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Delays between notify attempts after a failed one (WeChat Pay's own schedule is 15s, 15s, 30s, 3m, 10m, ...; shorter here).</summary>
    public TimeSpan[] NotifyRetrySchedule { get; set; } =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)];

    /// <summary>The public origin the simulator's code_url pages and bill download links use; the listening address when empty.</summary>
    public string? PublicUrl { get; set; }
}

/// <summary>What the simulator does on each payment, changeable at run time (the "sometimes twice, sometimes late, told to fail" of the issue).</summary>
public sealed record Behaviour
{
    /// <summary>Extra copies of each notify sent (each signed anew), 0 for one notify.</summary>
    public int DuplicateNotifies { get; init; }

    /// <summary>Milliseconds to wait before the first notify.</summary>
    public int NotifyDelayMs { get; init; }

    /// <summary>Send no notify at all (the merchant must query).</summary>
    public bool DropNotifies { get; init; }

    /// <summary>Payments fail (trade_state PAYERROR), no notify.</summary>
    public bool FailPayments { get; init; }

    /// <summary>Refunds answer PROCESSING this many times (requests and queries) before they end.</summary>
    public int RefundProcessingTimes { get; init; }

    /// <summary>Refunds stay PROCESSING this long, then end by themselves and their notify is sent (takes the place of <see cref="RefundProcessingTimes"/>).</summary>
    public int RefundProcessingMs { get; init; }

    /// <summary>How refunds end: SUCCESS (the default), ABNORMAL (the student's account could not take it) or CLOSED.</summary>
    public string? RefundOutcome { get; init; }

    /// <summary>Send no refund notify (the merchant must query).</summary>
    public bool DropRefundNotifies { get; init; }

    /// <summary>Extra copies of each refund notify, each signed anew.</summary>
    public int DuplicateRefundNotifies { get; init; }

    /// <summary>Refund requests and queries still answer PROCESSING this long after the refund ended (the query lags the notify).</summary>
    public int RefundQueryLagMs { get; init; }

    /// <summary>Order closes answer 500 SYSTEM_ERROR while the rest of the API works (a close that keeps failing).</summary>
    public bool FailCloses { get; init; }

    /// <summary>The v3 API answers 500 SYSTEM_ERROR (the provider is down).</summary>
    public bool Down { get; init; }
}
