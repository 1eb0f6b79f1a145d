using System.Text.Json;

namespace Capture.Payment.Domain;

/// <summary>One item of an itemised fee (001: 15 yuan web + 15 yuan photo), shown on the voucher and in reports.</summary>
public sealed record FeeItem(string Name, long AmountFen);

/// <summary>A campaign's itemised fee, set by its school; its total is the fee of every order not yet paid.</summary>
public sealed class CampaignFee
{
    public const int MaxItems = 10;
    public const int MaxNameLength = 40;

    public Guid CampaignId { get; set; }

    public string SchoolCode { get; set; } = "";

    /// <summary>The items as JSON (<see cref="FeeItem"/>[]).</summary>
    public string ItemsJson { get; set; } = "[]";

    public DateTimeOffset UpdatedAt { get; set; }

    public IReadOnlyList<FeeItem> Items => JsonSerializer.Deserialize<List<FeeItem>>(ItemsJson, JsonSerializerOptions.Web) ?? [];

    public long TotalFen => Items.Sum(i => i.AmountFen);

    /// <summary>The items an order shows: the campaign's when they add up to the order's amount, else the amount as one item.</summary>
    public static IReadOnlyList<FeeItem> ItemsOf(PaymentOrder order, CampaignFee? fee) =>
        fee is not null && fee.TotalFen == order.AmountFen ? fee.Items : [new FeeItem("capture fee", order.AmountFen)];
}
