namespace Capture.Payment.Infrastructure;

/// <summary>Timing of the background work (section <c>Payment</c>).</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payment";

    /// <summary>An online order with no notify this long after the QR code was shown is asked about (order query).</summary>
    public TimeSpan PollAfter { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often provider orders under superseded merchant order numbers (a fee changed after the code was shown) are closed.</summary>
    public TimeSpan SupersededInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often due refunds are looked for and sent (a refund request also wakes the worker at once).</summary>
    public TimeSpan RefundInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When a campaign has no refund date of its own: absentees are refunded this long after their session closed.</summary>
    public TimeSpan DefaultRefundAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>When (Beijing time) yesterday's trade bill is downloaded and imported: WeChat Pay makes it available after 10:00.</summary>
    public TimeOnly BillImportAt { get; set; } = new(10, 30);

    /// <summary>How many bill days back the daily import looks for days not imported yet (0 turns it off).</summary>
    public int BillImportDays { get; set; } = 3;

    /// <summary>How often the daily import looks (a day the provider did not give yet is asked again then).</summary>
    public TimeSpan BillImportInterval { get; set; } = TimeSpan.FromMinutes(30);
}
