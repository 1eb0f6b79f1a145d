using System.Text;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Apis;

/// <summary>
/// College cash (000, 002, 004): the college secretary records cash for one student or a list (all or nothing: one
/// bad line and none is recorded), into the college's open remittance batch; submits the batch; the school admin
/// confirms the amount received, which must equal the batch's total. Vouchers (拍照凭证) list per college.
/// </summary>
public static class CashApi
{
    public const int MaxStudentsPerRecording = 500;

    public static RouteGroupBuilder MapCashApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentDbContext.RoutePrefix).WithTags("College cash and vouchers");
        group.MapPost("/cash", RecordAsync).WithName("RecordCash")
            .WithSummary("Records cash collected from students of the caller's college (1 to 500 student numbers); all or nothing.")
            .RequireRoles(CaptureRoles.CollegeStaff);
        group.MapGet("/remittances", ListAsync).WithName("ListRemittances")
            .WithSummary("Remittance batches in the caller's scope, each with its count and total computed from its orders.")
            .RequireRoles(CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapPost("/remittances/{remittanceId:guid}/submit", SubmitAsync).WithName("SubmitRemittance")
            .WithSummary("Hands the college's open batch to the school: later cash goes into a new batch.")
            .RequireRoles(CaptureRoles.CollegeStaff);
        group.MapPost("/remittances/{remittanceId:guid}/confirm", ConfirmAsync).WithName("ConfirmRemittance")
            .WithSummary("Confirms a submitted batch: the amount received must equal its total.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapGet("/vouchers", VouchersAsync).WithName("ListVouchers")
            .WithSummary("Paid vouchers (拍照凭证) in the caller's scope, by college; format=csv (UTF-8 with BOM) or format=xlsx gives a printable list.")
            .RequireRoles(CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        return group;
    }

    private static async Task<Results<Ok<CashRecorded>, ProblemHttpResult>> RecordAsync(
        CashRequest request, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        if (request.CampaignId is not { } campaignId || campaignId == Guid.Empty)
        {
            return Problems.Invalid("campaignId", "Give the campaign the cash is for.");
        }

        var numbers = request.StudentNumbers?.Select(n => n?.Trim() ?? "").ToList() ?? [];
        if (numbers.Count is 0 or > MaxStudentsPerRecording)
        {
            return Problems.Invalid("studentNumbers", $"List 1 to {MaxStudentsPerRecording} student numbers.");
        }

        if (numbers.FirstOrDefault(n => n.Length is 0 or > 32) is { } bad)
        {
            return Problems.Invalid("studentNumbers", $"A student number has 1 to 32 characters ('{bad}' does not).");
        }

        if (numbers.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return Problems.Invalid("studentNumbers", $"Student number {twice.Key} is listed twice; list each student once.");
        }

        var orders = await s.Db.Orders.AsNoTracking()
            .Where(o => o.CampaignId == campaignId && o.SchoolCode == caller.School && o.CollegeCode == caller.College && numbers.Contains(o.StudentNumber))
            .ToListAsync(ct);
        var unknown = numbers.Except(orders.Select(o => o.StudentNumber)).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Invalid("studentNumbers", $"No order of your college in this campaign for: {string.Join(", ", unknown.Take(50))}. Nothing was recorded.");
        }

        var notPending = orders.Where(o => o.Status != OrderStatus.Pending).ToList();
        if (notPending.Count > 0)
        {
            return Problems.Conflict(
                "Not awaiting payment (paid already, waived or cancelled): "
                + string.Join(", ", notPending.Take(50).Select(o => $"{o.StudentNumber} ({o.Status.ToString().ToLowerInvariant()})")) + ". Nothing was recorded.",
                "not-pending");
        }

        var now = s.Time.GetUtcNow();
        await using var transaction = await s.Db.Database.BeginTransactionAsync(ct);
        await s.Db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO payment.remittances (id, campaign_id, school_code, college_code, status, opened_at)
            VALUES ({Guid.NewGuid()}, {campaignId}, {caller.School}, {caller.College}, 'Open', {now})
            ON CONFLICT (campaign_id, school_code, college_code) WHERE status = 'Open' DO NOTHING
            """,
            ct);
        var batch = await s.Db.Remittances.AsNoTracking()
            .FirstAsync(r => r.CampaignId == campaignId && r.SchoolCode == caller.School && r.CollegeCode == caller.College && r.Status == RemittanceStatus.Open, ct);
        foreach (var order in orders)
        {
            if (await OrderPayments.MarkPaidInTransactionAsync(s.Db, order, PaymentMethods.Cash, null, now, batch.Id, null, ct) != PaidOutcome.Paid)
            {
                await transaction.RollbackAsync(ct);
                return Problems.Conflict($"{order.StudentNumber} was paid or changed meanwhile. Nothing was recorded; list the others again.", "not-pending");
            }

            // A QR code the student was shown stays payable: closed by the closer, and refunded if paid after all.
            await SupersededPayments.RememberCurrentAsync(s.Db, order.Id, new Renumbering(now, s.Wechat.Value.OrderLifetime), ct);
        }

        await s.Db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        foreach (var order in orders)
        {
            OrderPayments.LogPaid(s.Logger, order.Id, order.RegistrationId, order.AmountFen, PaymentMethods.Cash);
        }

        var ids = orders.Select(o => o.Id).ToList();
        var recorded = await s.Db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).OrderBy(o => o.StudentNumber).ToListAsync(ct);
        return TypedResults.Ok(new CashRecorded(batch.Id, await OrderView.ManyAsync(s.Db, recorded, ct), recorded.Sum(o => o.AmountFen)));
    }

    private static async Task<Results<Ok<List<RemittanceView>>, ProblemHttpResult>> ListAsync(
        Caller caller, [AsParameters] PaymentServices s, CancellationToken ct, Guid? campaignId = null)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var query = s.Db.Remittances.AsNoTracking();
        query = caller.Role switch
        {
            CaptureRoles.Ops => query,
            CaptureRoles.CollegeStaff => query.Where(r => r.SchoolCode == caller.School && r.CollegeCode == caller.College),
            _ => query.Where(r => r.SchoolCode == caller.School),
        };
        if (campaignId is { } c)
        {
            query = query.Where(r => r.CampaignId == c);
        }

        var rows = await (from r in query
                          select new
                          {
                              r,
                              Count = s.Db.Orders.Count(o => o.RemittanceId == r.Id),
                              Total = s.Db.Orders.Where(o => o.RemittanceId == r.Id).Sum(o => (long?)o.AmountFen) ?? 0,
                          }).OrderBy(x => x.r.CollegeCode).ThenBy(x => x.r.OpenedAt).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(x => RemittanceView.From(x.r, x.Count, x.Total)).ToList());
    }

    private static async Task<Results<Ok<RemittanceView>, ProblemHttpResult>> SubmitAsync(Guid remittanceId, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var changed = await s.Db.Remittances
            .Where(r => r.Id == remittanceId && r.SchoolCode == caller.School && r.CollegeCode == caller.College && r.Status == RemittanceStatus.Open)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, RemittanceStatus.Submitted).SetProperty(r => r.SubmittedAt, s.Time.GetUtcNow()), ct);
        return changed == 1
            ? TypedResults.Ok(await ViewAsync(s.Db, remittanceId, ct))
            : Problems.Conflict("No open batch of your college has this id (submitted already, or another college's).", "not-open");
    }

    private static async Task<Results<Ok<RemittanceView>, ProblemHttpResult>> ConfirmAsync(
        Guid remittanceId, ConfirmRemittanceRequest request, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        if (request.ReceivedFen is not (>= 0 and <= 1_000_000_000))
        {
            return Problems.Invalid("receivedFen", "Give the cash received, in fen (分), from 0 to 1000000000.");
        }

        var batch = await s.Db.Remittances.AsNoTracking().FirstOrDefaultAsync(r => r.Id == remittanceId && r.SchoolCode == caller.School, ct);
        if (batch is null)
        {
            return Problems.NotFound($"No remittance batch {remittanceId} of your school.");
        }

        var view = await ViewAsync(s.Db, remittanceId, ct);
        if (batch.Status != RemittanceStatus.Submitted)
        {
            return Problems.Conflict($"Only a submitted batch can be confirmed; this one is {batch.Status.ToString().ToLowerInvariant()}.", "not-submitted");
        }

        if (request.ReceivedFen != view.TotalFen)
        {
            return Problems.Conflict($"Received {request.ReceivedFen} fen but the batch's {view.Count} payments total {view.TotalFen} fen; count again or ask the college.", "amount-differs");
        }

        var changed = await s.Db.Remittances.Where(r => r.Id == remittanceId && r.Status == RemittanceStatus.Submitted).ExecuteUpdateAsync(
            set => set.SetProperty(r => r.Status, RemittanceStatus.Confirmed).SetProperty(r => r.ConfirmedAt, s.Time.GetUtcNow())
                .SetProperty(r => r.ConfirmedBy, caller.Actor).SetProperty(r => r.ReceivedFen, request.ReceivedFen), ct);
        return changed == 1 ? TypedResults.Ok(await ViewAsync(s.Db, remittanceId, ct)) : Problems.Conflict("The batch was confirmed meanwhile.", "not-submitted");
    }

    private static async Task<Results<Ok<List<VoucherView>>, FileContentHttpResult, ProblemHttpResult>> VouchersAsync(
        Caller caller, [AsParameters] PaymentServices s, CancellationToken ct, Guid? campaignId = null, string? collegeCode = null, string? format = null)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        if (format is not (null or "json" or "csv" or "xlsx"))
        {
            return Problems.Invalid("format", "Use json (the default), csv or xlsx.");
        }

        if (collegeCode is { Length: > 32 })
        {
            return Problems.Invalid("collegeCode", "A college code has at most 32 characters.");
        }

        var query = caller.Scope(s.Db.Orders.AsNoTracking()).Where(o => o.VoucherNumber != null && o.Status == OrderStatus.Paid);
        if (campaignId is { } c)
        {
            query = query.Where(o => o.CampaignId == c);
        }

        if (!string.IsNullOrEmpty(collegeCode))
        {
            query = query.Where(o => o.CollegeCode == collegeCode);
        }

        var orders = await query.OrderBy(o => o.CollegeCode).ThenBy(o => o.ClassName).ThenBy(o => o.StudentNumber).Take(20_000).ToListAsync(ct);
        var fees = await s.Db.FeesOfAsync(orders.Select(o => o.CampaignId), ct);
        var list = orders
            .Select(o => new VoucherView(o.VoucherNumber!, o.CampaignId, o.CollegeCode, o.CollegeName, o.ClassName, o.StudentNumber, o.StudentName, o.AmountFen, o.Method!, o.PaidAt!.Value, CampaignFee.ItemsOf(o, fees.GetValueOrDefault(o.CampaignId))))
            .ToList();
        if (format is null or "json")
        {
            return TypedResults.Ok(list);
        }

        var rows = list.Select(v => new[]
        {
            v.VoucherNumber, v.StudentNumber, v.StudentName, v.CollegeName, v.ClassName ?? "", Money.Yuan(v.AmountFen),
            string.Join(" + ", v.Items.Select(i => $"{i.Name} {Money.Yuan(i.AmountFen)}")), v.Method, ShanghaiTime.ToLocal(v.PaidAt).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        });
        return format == "xlsx"
            ? TypedResults.File(VoucherList.Xlsx(rows), VoucherList.XlsxContentType, "vouchers.xlsx")
            : TypedResults.File(VoucherList.Csv(rows), "text/csv; charset=utf-8", "vouchers.csv");
    }

    private static async Task<RemittanceView> ViewAsync(PaymentDbContext db, Guid id, CancellationToken ct)
    {
        var r = await db.Remittances.AsNoTracking().FirstAsync(x => x.Id == id, ct);
        var orders = await db.Orders.AsNoTracking().Where(o => o.RemittanceId == id).Select(o => o.AmountFen).ToListAsync(ct);
        return RemittanceView.From(r, orders.Count, orders.Sum());
    }
}

public sealed record CashRequest(Guid? CampaignId, List<string?>? StudentNumbers);

public sealed record CashRecorded(Guid RemittanceId, List<OrderView> Orders, long TotalFen);

public sealed record ConfirmRemittanceRequest(long? ReceivedFen);

public sealed record RemittanceView(Guid Id, Guid CampaignId, string SchoolCode, string CollegeCode, string Status, int Count, long TotalFen, long? ReceivedFen, DateTimeOffset OpenedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? ConfirmedAt)
{
    public static RemittanceView From(Remittance r, int count, long total) =>
        new(r.Id, r.CampaignId, r.SchoolCode, r.CollegeCode, r.Status.ToString().ToLowerInvariant(), count, total, r.ReceivedFen, r.OpenedAt, r.SubmittedAt, r.ConfirmedAt);
}

public sealed record VoucherView(string VoucherNumber, Guid CampaignId, string CollegeCode, string CollegeName, string? ClassName, string StudentNumber, string StudentName, long AmountFen, string Method, DateTimeOffset PaidAt, IReadOnlyList<FeeItem> Items);

/// <summary>CSV fields through the one shared rule (ServiceDefaults <c>CsvText</c>): quoted when needed, formulas defused.</summary>
public static class Csv
{
    public static string Field(string value) => Capture.ServiceDefaults.Export.CsvText.Field(value);
}
