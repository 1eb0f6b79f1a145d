using System.Globalization;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Spreadsheets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Apis;

/// <summary>
/// Reconciliation (对账): the provider's trade bill of a day is imported (downloaded from the provider, or uploaded
/// as the file the merchant platform gives) and compared with Payment's books, listing every mismatch; a daily report
/// per method and college gives expected, received and refunded amounts.
/// </summary>
public static class ReconciliationApi
{
    public const int MaxBillBytes = 20 * 1024 * 1024;

    public static RouteGroupBuilder MapReconciliationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentDbContext.RoutePrefix + "/reconciliation").WithTags("Reconciliation");
        group.MapPost("/statements/{billDate}", ImportAsync).WithName("ImportStatement")
            .Accepts<byte[]>(isOptional: true, "text/csv", "application/octet-stream", "text/plain")
            .WithSummary("Imports the provider's trade bill of a day (yyyy-MM-dd; the body, or downloaded from the provider when the body is empty) and lists every mismatch.")
            .RequireRoles(CaptureRoles.Ops);
        group.MapGet("/statements/{billDate}/mismatches", MismatchesAsync).WithName("GetStatementMismatches")
            .WithSummary("The mismatches between the imported bill of a day and Payment's books.")
            .RequireRoles(CaptureRoles.Ops);
        group.MapGet("/daily", DailyAsync).WithName("GetDailyReconciliation")
            .WithSummary("Per day (Asia/Shanghai), method and college of a campaign: payments, expected, received and refunded fen, with expected and refunded per fee item; format=csv adds a total line.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        return group;
    }

    private static async Task<Results<Ok<StatementReport>, ProblemHttpResult>> ImportAsync(
        string billDate, HttpRequest request, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (!DateOnly.TryParseExact(billDate, "yyyy-MM-dd", out var day) || day.Year is < 2000 or > 2100)
        {
            return Problems.Invalid("billDate", "Give the bill's day as yyyy-MM-dd.");
        }

        if (await RequestBody.ReadAsync(request, MaxBillBytes, ct) is not { } upload)
        {
            return Problems.TooLarge("A trade bill upload is at most 20 MB.");
        }

        string text;
        if (upload.Length > 0)
        {
            text = SpreadsheetReader.DecodeText(upload);
        }
        else
        {
            try
            {
                text = await s.Provider.DownloadTradeBillAsync(day, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException)
            {
                return Problems.Unavailable($"The provider did not give the bill of {day:yyyy-MM-dd}: {e.Message}");
            }
        }

        var source = upload.Length > 0 ? StatementImport.FromUpload : StatementImport.FromProvider;
        var (report, errors) = await StatementImports.ImportAsync(s.Db, day, text, source, request.HttpContext.User.Subject() ?? "ops", s.Time.GetUtcNow(), ct);
        if (report is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The bill was not imported",
                detail: $"{errors.Count} line(s) could not be read; nothing was imported.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["bill"] = [.. errors.Take(200)] } });
        }

        return TypedResults.Ok(report);
    }

    private static async Task<Results<Ok<StatementReport>, ProblemHttpResult>> MismatchesAsync(string billDate, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (!DateOnly.TryParseExact(billDate, "yyyy-MM-dd", out var day))
        {
            return Problems.Invalid("billDate", "Give the bill's day as yyyy-MM-dd.");
        }

        return TypedResults.Ok(await StatementImports.ReportAsync(s.Db, day, ct));
    }

    private static async Task<Results<Ok<List<DailyRow>>, FileContentHttpResult, ProblemHttpResult>> DailyAsync(
        Guid campaignId, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct, string? format = null)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        if (format is not (null or "json" or "csv"))
        {
            return Problems.Invalid("format", "Use json (the default) or csv.");
        }

        var orders = await caller.Scope(s.Db.Orders.AsNoTracking()).Where(o => o.CampaignId == campaignId && o.PaidAt != null).Take(200_000).ToListAsync(ct);
        var ids = orders.Select(o => o.Id).ToList();
        var outTradeNos = orders.Where(o => o.Method == PaymentMethods.Online).Select(o => o.OutTradeNo).ToList();
        var atProvider = (await s.Db.StatementLines.AsNoTracking().Where(l => l.Kind == "SUCCESS" && outTradeNos.Contains(l.OutTradeNo)).ToListAsync(ct))
            .GroupBy(l => l.OutTradeNo).ToDictionary(g => g.Key, g => g.Max(l => l.AmountFen));
        var confirmed = (await s.Db.Remittances.AsNoTracking().Where(r => r.CampaignId == campaignId && r.Status == RemittanceStatus.Confirmed).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        // A second payment's refund is not the order's: the payment it returns was never counted as one.
        var refunds = await s.Db.Refunds.AsNoTracking().Where(r => ids.Contains(r.OrderId) && r.Status == RefundStatus.Succeeded && r.SupersededOutTradeNo == null).ToListAsync(ct);
        var byId = orders.ToDictionary(o => o.Id);

        long Received(PaymentOrder o) => o.Method switch
        {
            PaymentMethods.Online => atProvider.GetValueOrDefault(o.OutTradeNo),
            PaymentMethods.Cash => o.RemittanceId is Guid r && confirmed.Contains(r) ? o.AmountFen : 0,
            PaymentMethods.CampusCard => o.AmountFen,
            _ => 0,
        };

        var fee = (await s.Db.FeesOfAsync([campaignId], ct)).GetValueOrDefault(campaignId);
        IReadOnlyList<FeeItem> Items(PaymentOrder o, long amount) => amount == o.AmountFen ? CampaignFee.ItemsOf(o, fee) : [new FeeItem("capture fee", amount)];

        var rows = orders
            .Select(o => (Day: ShanghaiTime.Today(o.PaidAt!.Value), Method: o.Method ?? "", o.CollegeCode, Paid: 1, Expected: o.AmountFen, Received: Received(o), Refunded: 0L,
                Items: Items(o, o.AmountFen).Select(i => new DailyItem(i.Name, i.AmountFen, 0))))
            .Concat(refunds.Select(r => (Day: ShanghaiTime.Today(r.CompletedAt!.Value), r.Method, byId[r.OrderId].CollegeCode, Paid: 0, Expected: 0L, Received: 0L, Refunded: r.AmountFen,
                Items: Items(byId[r.OrderId], r.AmountFen).Select(i => new DailyItem(i.Name, 0, i.AmountFen)))))
            .GroupBy(x => (x.Day, x.Method, x.CollegeCode))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Method).ThenBy(g => g.Key.CollegeCode)
            .Select(g => new DailyRow(
                g.Key.Day, g.Key.Method, g.Key.CollegeCode, g.Sum(x => x.Paid), g.Sum(x => x.Expected), g.Sum(x => x.Received), g.Sum(x => x.Refunded),
                [.. g.SelectMany(x => x.Items).GroupBy(i => i.Name).Select(i => new DailyItem(i.Key, i.Sum(x => x.ExpectedFen), i.Sum(x => x.RefundedFen)))]))
            .ToList();
        if (format != "csv")
        {
            return TypedResults.Ok(rows);
        }

        // One pair of columns per fee item (the campaign's items first, in their order), then a total line.
        var names = (fee?.Items.Select(i => i.Name) ?? []).Concat(rows.SelectMany(r => r.Items.Select(i => i.Name))).Distinct().ToList();
        var header = new List<string> { "日期", "方式", "学院", "笔数", "应收(元)", "实收(元)", "退款(元)" };
        header.AddRange(names.SelectMany(n => new[] { $"{n}应收(元)", $"{n}退款(元)" }));
        string[] Line(string day, string method, string college, IReadOnlyCollection<DailyRow> of) =>
        [
            day, method, college, of.Sum(r => r.Payments).ToString(CultureInfo.InvariantCulture),
            Money.Yuan(of.Sum(r => r.ExpectedFen)), Money.Yuan(of.Sum(r => r.ReceivedFen)), Money.Yuan(of.Sum(r => r.RefundedFen)),
            .. names.SelectMany(n => new[]
            {
                Money.Yuan(of.SelectMany(r => r.Items).Where(i => i.Name == n).Sum(i => i.ExpectedFen)),
                Money.Yuan(of.SelectMany(r => r.Items).Where(i => i.Name == n).Sum(i => i.RefundedFen)),
            }),
        ];

        var lines = rows.Select(r => Line(r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Method, r.CollegeCode, [r])).Append(Line("合计", "", "", rows));
        return TypedResults.File(SheetExport.Csv(header, lines), "text/csv; charset=utf-8", "reconciliation.csv");
    }
}


/// <summary>One day, method and college: payments, fen expected, received and refunded, and the same by fee item (the campaign's items, e.g. 15 web + 15 photo).</summary>
public sealed record DailyRow(DateOnly Day, string Method, string CollegeCode, int Payments, long ExpectedFen, long ReceivedFen, long RefundedFen, IReadOnlyList<DailyItem> Items);

/// <summary>A fee item's share of a daily row: expected from the payments, refunded with the refunds.</summary>
public sealed record DailyItem(string Name, long ExpectedFen, long RefundedFen);
