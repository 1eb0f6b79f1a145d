using Capture.Contracts.Verification;
using Capture.ServiceDefaults.Time;
using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Verification.Infrastructure;

/// <summary>
/// Every <see cref="VerificationOptions.SweepInterval"/> (on the injected <see cref="TimeProvider"/>): publishes
/// <see cref="VerificationReminderDue"/> at the configured points before each open task's deadline, and turns open
/// tasks past their deadline into <c>expired-unverified</c> (<see cref="VerificationExpired"/>). One instance sweeps at a
/// time (a transaction-scoped advisory lock); each reminder is sent once (a primary key), each expiry once (the state).
/// </summary>
public sealed partial class VerificationClock(IServiceScopeFactory scopes, TimeProvider time, IOptions<VerificationOptions> options, ILogger<VerificationClock> logger)
    : BackgroundService
{
    private const long LockKey = 0x5645_5249_4659; // "VERIFY"
    private const int Batch = 500;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync("Verification clock sweep", SweepAsync, Periodic.Every(() => options.Value.SweepInterval, time), logger, stoppingToken);

    /// <summary>One sweep at the clock's now: returns how many reminders were sent and tasks expired (0, 0 when another instance holds the lock).</summary>
    public async Task<(int Reminders, int Expired)> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VerificationDbContext>();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({LockKey}) AS \"Value\"").SingleAsync(ct);
        if (!locked)
        {
            return (0, 0);
        }

        var expired = 0;
        var due = await db.Tasks.Where(t => t.State == TaskState.Open && !t.Withdrawn && t.Deadline <= now).OrderBy(t => t.Deadline).Take(Batch).ToListAsync(ct);
        foreach (var task in due.Where(t => t.Expire(now)))
        {
            db.History.Add(new TaskHistoryEntry { RegistrationId = task.RegistrationId, Round = task.Round, Kind = TaskHistoryEntry.Expired, Actor = "clock", At = now });
            db.AddIntegrationEvent(new VerificationExpired(task.RegistrationId, task.RegistrationId, task.CampaignId, task.SchoolCode, task.CollegeCode, task.Deadline!.Value, now));
            expired++;
        }

        var points = options.Value.ReminderDaysBefore.Where(p => p is > 0 and <= 365).Distinct().ToArray();
        var reminders = 0;
        if (points.Length > 0)
        {
            var horizon = now + TimeSpan.FromDays(points.Max());
            var open = await db.Tasks.AsNoTracking()
                .Where(t => t.State == TaskState.Open && !t.Withdrawn && t.StudentNumber != null && t.Deadline > now && t.Deadline <= horizon)
                .OrderBy(t => t.Deadline).Take(Batch * 4).ToListAsync(ct);
            var ids = open.Select(t => t.RegistrationId).ToList();
            var sent = (await db.Reminders.AsNoTracking().Where(r => ids.Contains(r.RegistrationId)).ToListAsync(ct))
                .ToLookup(r => (r.RegistrationId, r.Round), r => r.DaysBefore);
            foreach (var task in open)
            {
                if (VerificationWindow.DueReminder(task.Deadline!.Value, now, points, [.. sent[(task.RegistrationId, task.Round)]]) is not { } point)
                {
                    continue;
                }

                db.Reminders.Add(new ReminderSent { RegistrationId = task.RegistrationId, Round = task.Round, DaysBefore = point, SentAt = now });
                db.AddIntegrationEvent(new VerificationReminderDue(
                    task.RegistrationId, task.RegistrationId, task.CampaignId, task.SchoolCode, task.CollegeCode, task.StudentNumber!, point, task.Deadline.Value, now));
                reminders++;
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (reminders + expired > 0)
        {
            LogSwept(logger, reminders, expired);
        }

        return (reminders, expired);
    }

    [LoggerMessage(LogLevel.Information, "Verification clock: {Reminders} reminders due, {Expired} tasks expired unverified")]
    private static partial void LogSwept(ILogger logger, int reminders, int expired);
}
