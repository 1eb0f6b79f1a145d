using Capture.Contracts.Payment;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Apis;

/// <summary>
/// The campus-card refund batch (003 §2.3, card payments): the school admin exports a campaign's card refunds waiting
/// for finance as the file finance loads to credit the cards back, and imports finance's result file. Every line is
/// checked first (the refund, its order and student, its amount, the result word, duplicates, a refund done already);
/// one bad line and nothing is applied. Credited refunds complete (order refunded, one PaymentRefunded each); failed
/// ones are marked failed with finance's reason, for the school admin to settle another way.
/// </summary>
public static partial class CardRefundBatchApi
{
    public const int MaxFileBytes = CardBatchApi.MaxFileBytes;

    public static RouteGroupBuilder MapCardRefundBatchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentDbContext.RoutePrefix).WithTags("Campus-card batches");
        group.MapGet("/campaigns/{campaignId:guid}/card-refund-batch", ExportAsync).WithName("ExportCardRefundBatch")
            .WithSummary("The campaign's campus-card refunds waiting for finance, as the file finance loads: format=csv (UTF-8 with BOM) or xlsx.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapPost("/campaigns/{campaignId:guid}/card-refund-batch/results", ImportAsync).WithName("ImportCardRefundBatchResults")
            .Accepts<byte[]>("text/csv", SheetExport.XlsxContentType, "application/vnd.ms-excel", "application/octet-stream", "text/plain")
            .WithSummary("Imports finance's card refund result file (the request body: CSV in UTF-8 or GBK, or .xlsx; at most 5 MB). All lines or none.")
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

        var rows = (await (from r in s.Db.Refunds.AsNoTracking()
                           join o in caller.Scope(s.Db.Orders.AsNoTracking()) on r.OrderId equals o.Id
                           where o.CampaignId == campaignId && r.Method == PaymentMethods.CampusCard && r.Status == RefundStatus.Requested
                           orderby o.CollegeCode, o.StudentNumber
                           select new { r, o }).Take(100_000).ToListAsync(ct))
            .Select(x => (x.r, x.o)).ToList();
        return format == "xlsx"
            ? TypedResults.File(CardRefundBatchFiles.Xlsx(rows), SheetExport.XlsxContentType, $"card-refunds-{campaignId:N}.xlsx")
            : TypedResults.File(CardRefundBatchFiles.Csv(rows), "text/csv; charset=utf-8", $"card-refunds-{campaignId:N}.csv");
    }

    private static async Task<Results<Ok<CardRefundBatchResult>, ProblemHttpResult>> ImportAsync(
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

        var (lines, errors) = CardRefundBatchFiles.ReadResults(file);
        var ids = lines.Select(l => l.RefundId).Distinct().ToList();
        var known = await (from r in s.Db.Refunds.AsNoTracking()
                           join o in caller.Scope(s.Db.Orders.AsNoTracking()) on r.OrderId equals o.Id
                           where o.CampaignId == campaignId && ids.Contains(r.Id)
                           select new { r, o }).ToDictionaryAsync(x => x.r.Id, ct);
        foreach (var line in lines)
        {
            if (!known.TryGetValue(line.RefundId, out var x))
            {
                errors.Add($"line {line.Line}: refund {line.RefundId} is not a refund of this campaign in your school");
            }
            else if (x.r.Method != PaymentMethods.CampusCard)
            {
                errors.Add($"line {line.Line}: refund {line.RefundId} is of a {x.r.Method} payment, not a campus-card one; remove the line");
            }
            else if (line.OrderId is { } orderId && orderId != x.o.Id)
            {
                errors.Add($"line {line.Line}: refund {line.RefundId} is of order {x.o.Id}, not {orderId}");
            }
            else if (!string.Equals(x.o.StudentNumber, line.StudentNumber, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"line {line.Line}: refund {line.RefundId} belongs to student {x.o.StudentNumber}, not {line.StudentNumber}");
            }
            else if (x.r.AmountFen != line.AmountFen)
            {
                errors.Add($"line {line.Line}: the amount is {Money.Yuan(line.AmountFen)} yuan but the refund is {Money.Yuan(x.r.AmountFen)} yuan");
            }
            else if (x.r.Status == RefundStatus.Succeeded)
            {
                errors.Add($"line {line.Line}: student {x.o.StudentNumber}'s refund was done already ({x.r.CompletedVia ?? "recorded"}, {ShanghaiTime.ToLocal(x.r.CompletedAt!.Value):yyyy-MM-dd HH:mm}); remove the line, it is never refunded twice");
            }
            else if (x.r.Status == RefundStatus.Failed)
            {
                errors.Add($"line {line.Line}: student {x.o.StudentNumber}'s refund was marked failed already ({x.r.LastError}); remove the line, and record the money handed back when it is");
            }
        }

        if (errors.Count > 0)
        {
            return Problems.FileNotApplied(errors);
        }

        var now = s.Time.GetUtcNow();
        var refunded = new List<PaymentRefunded>();
        await using var transaction = await s.Db.Database.BeginTransactionAsync(ct);
        foreach (var line in lines)
        {
            bool changed;
            if (line.Refunded)
            {
                var done = await RefundOutcomes.CompleteInTransactionAsync(s.Db, line.RefundId, null, now, RefundSources.CardBatch, fromFailed: false, ct);
                if (done?.Refunded is { } e)
                {
                    refunded.Add(e);
                }

                changed = done is not null;
            }
            else
            {
                changed = await RefundOutcomes.FailAsync(s.Db, line.RefundId, null, "campus card: " + (line.Reason ?? "finance could not credit the card"), RefundSources.CardBatch, now, ct) == 1;
            }

            if (!changed)
            {
                await transaction.RollbackAsync(ct);
                return Problems.Conflict($"Line {line.Line}: the refund of student {known[line.RefundId].o.StudentNumber} changed meanwhile; nothing was applied. Import the file again to see what to remove.", "changed");
            }
        }

        await s.Db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        foreach (var e in refunded)
        {
            RefundOutcomes.LogRefunded(s.Logger, e, RefundSources.CardBatch);
        }

        LogImported(s.Logger, campaignId, refunded.Count, lines.Count - refunded.Count, caller.Actor);
        return TypedResults.Ok(new CardRefundBatchResult(refunded.Count, lines.Count - refunded.Count));
    }

    [LoggerMessage(LogLevel.Information, "Card refund results of campaign {CampaignId} imported: {Refunded} refunded, {Failed} failed, by {Actor}")]
    private static partial void LogImported(ILogger logger, Guid campaignId, int refunded, int failed, string actor);
}

/// <summary>What an import did: refunds credited back to the cards (each order refunded), refunds finance could not make (marked failed with the reason).</summary>
public sealed record CardRefundBatchResult(int Refunded, int Failed);
