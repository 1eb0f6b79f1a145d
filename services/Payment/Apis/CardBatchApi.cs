using Capture.Contracts.Payment;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Apis;

/// <summary>
/// The campus-card batch (003): the school admin exports a campaign's pending orders as the file finance loads, and
/// imports finance's result file. Every line is checked first (the order, its student, its amount, the result word,
/// duplicates); one bad line and nothing is applied. Deducted orders become paid; failed ones stay pending (the
/// student may pay online until the window closes) and PaymentFailed tells them why.
/// </summary>
public static class CardBatchApi
{
    public const int MaxFileBytes = 5 * 1024 * 1024;

    public static RouteGroupBuilder MapCardBatchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentDbContext.RoutePrefix).WithTags("Campus-card batches");
        group.MapGet("/campaigns/{campaignId:guid}/card-batch", ExportAsync).WithName("ExportCardBatch")
            .WithSummary("The campaign's pending orders as the file finance loads: format=csv (UTF-8) or xlsx.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapPost("/campaigns/{campaignId:guid}/card-batch/results", ImportAsync).WithName("ImportCardBatchResults")
            .Accepts<byte[]>("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel", "application/octet-stream", "text/plain")
            .WithSummary("Imports finance's result file (the request body: CSV in UTF-8 or GBK, or .xlsx; at most 5 MB). All lines or none.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        return group;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(
        Guid campaignId, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct, string? format = null)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        if (format is not (null or "csv" or "xlsx"))
        {
            return Problems.Invalid("format", "Use csv (the default) or xlsx.");
        }

        var orders = await caller.Scope(s.Db.Orders.AsNoTracking())
            .Where(o => o.CampaignId == campaignId && o.Status == OrderStatus.Pending && o.AmountFen > 0)
            .OrderBy(o => o.CollegeCode).ThenBy(o => o.StudentNumber).Take(100_000).ToListAsync(ct);
        return format == "xlsx"
            ? TypedResults.File(CardBatchFiles.Xlsx(orders), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"card-batch-{campaignId:N}.xlsx")
            : TypedResults.File(CardBatchFiles.Csv(orders), "text/csv; charset=utf-8", $"card-batch-{campaignId:N}.csv");
    }

    private static async Task<Results<Ok<CardBatchResult>, ProblemHttpResult>> ImportAsync(
        Guid campaignId, HttpRequest request, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        if (await RequestBody.ReadAsync(request, MaxFileBytes, ct) is not { } file)
        {
            return Problems.TooLarge($"A result file is at most {MaxFileBytes / 1024 / 1024} MB; split it.");
        }

        var (lines, errors) = CardBatchFiles.ReadResults(file);
        var ids = lines.Select(l => l.OrderId).ToList();
        var orders = await caller.Scope(s.Db.Orders.AsNoTracking()).Where(o => o.CampaignId == campaignId && ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var apply = new List<(CardResultLine Line, PaymentOrder Order)>();
        foreach (var line in lines)
        {
            if (!orders.TryGetValue(line.OrderId, out var order))
            {
                errors.Add($"line {line.Line}: order {line.OrderId} is not an order of this campaign in your school");
            }
            else if (!string.Equals(order.StudentNumber, line.StudentNumber, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"line {line.Line}: order {line.OrderId} belongs to student {order.StudentNumber}, not {line.StudentNumber}");
            }
            else if (order.AmountFen != line.AmountFen)
            {
                errors.Add($"line {line.Line}: the amount is {Money.Yuan(line.AmountFen)} yuan but the order is {Money.Yuan(order.AmountFen)} yuan");
            }
            else if (line.Deducted && order.Status == OrderStatus.Paid && order.Method == PaymentMethods.CampusCard)
            {
                // Imported before: nothing to do for this line.
            }
            else if (order.Status != OrderStatus.Pending)
            {
                errors.Add($"line {line.Line}: student {order.StudentNumber}'s order is {order.Status.ToString().ToLowerInvariant()}"
                    + (line.Deducted ? (order.Status == OrderStatus.Paid ? $" by {order.Method}: the card deduction must be reversed" : ": the card deduction must be reversed") : ""));
            }
            else
            {
                apply.Add((line, order));
            }
        }

        if (errors.Count > 0)
        {
            return Problems.FileNotApplied(errors);
        }

        var now = s.Time.GetUtcNow();
        await using var transaction = await s.Db.Database.BeginTransactionAsync(ct);
        foreach (var (line, order) in apply)
        {
            if (!line.Deducted)
            {
                s.Db.AddIntegrationEvent(new PaymentFailed(order.Id, order.RegistrationId, order.CampaignId, order.AmountFen, "campus card: " + (line.Reason ?? "deduction failed"), now));
            }
            else if (await OrderPayments.MarkPaidInTransactionAsync(s.Db, order, PaymentMethods.CampusCard, null, now, null, null, ct) != PaidOutcome.Paid)
            {
                await transaction.RollbackAsync(ct);
                return Problems.Conflict($"Line {line.Line}: student {order.StudentNumber} paid meanwhile; nothing was applied. Import the file again to see what to reverse.", "changed");
            }
            else
            {
                // A QR code the student was shown stays payable: closed by the closer, and refunded if paid after all.
                await SupersededPayments.RememberCurrentAsync(s.Db, order.Id, new Renumbering(now, s.Wechat.Value.OrderLifetime), ct);
            }
        }

        await s.Db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new CardBatchResult(apply.Count(a => a.Line.Deducted), apply.Count(a => !a.Line.Deducted), lines.Count - apply.Count));
    }
}

/// <summary>What an import did: orders paid by card, failures told to the students, lines already applied before.</summary>
public sealed record CardBatchResult(int Deducted, int Failed, int AlreadyApplied);
