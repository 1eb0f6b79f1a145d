using System.Net;
using System.Net.Http.Json;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Verification.Tests;

/// <summary>Reminders and expiry on a fake clock (the service's TimeProvider), moved by the test.</summary>
public sealed class ClockTests(ClockedVerificationApp app) : IClassFixture<ClockedVerificationApp>
{
    private Task SweepAsync() => app.Service.Services.GetRequiredService<VerificationClock>().SweepAsync(CancellationToken.None);

    /// <summary>
    /// Sweeps again before each look: the service's own sweep (woken when the test moves the clock) may hold the sweep's
    /// lock at that moment, and then the test's sweep does nothing (seen in CI).
    /// </summary>
    private async Task<T> SweptAsync<T>(Func<Task<T>> read)
    {
        await SweepAsync();
        return await read();
    }

    private Task<List<int>> RemindersAsync(Guid registrationId) =>
        app.InDbAsync(db => db.Reminders.Where(r => r.RegistrationId == registrationId).OrderByDescending(r => r.DaysBefore).Select(r => r.DaysBefore).ToListAsync());

    [Fact]
    public async Task Reminders_come_once_at_each_point_and_at_the_deadline_the_task_expires_unverified()
    {
        var student = await app.ApproveAsync(windowDays: 10);
        await app.AcceptPhotoAsync(student, at: app.Now);
        var deadline = (await app.TaskAsync(student.RegistrationId)).Deadline!.Value;

        app.Clock!.SetUtcNow(deadline - TimeSpan.FromDays(8));
        await SweepAsync();
        Assert.Empty(await RemindersAsync(student.RegistrationId));

        app.Clock.SetUtcNow(deadline - TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await SweepAsync();
        await Eventually.GetAsync(() => SweptAsync(() => RemindersAsync(student.RegistrationId)), r => r.Count == 1, what: "the 7-day reminder");
        Assert.Equal(1, await app.OutboxCountAsync("VerificationReminderDue", student.RegistrationId));

        app.Clock.SetUtcNow(deadline - TimeSpan.FromHours(2));
        await SweepAsync();
        Assert.Equal([7, 1], await Eventually.GetAsync(() => SweptAsync(() => RemindersAsync(student.RegistrationId)), r => r.Count == 2, what: "the 1-day reminder"));
        Assert.Equal(2, await app.OutboxCountAsync("VerificationReminderDue", student.RegistrationId));

        // Past the deadline, before the clock has swept: the decision is refused with the reason.
        app.Clock.SetUtcNow(deadline + TimeSpan.FromMinutes(1));
        using var client = app.Student(student);
        var late = await client.PostAsJsonAsync($"/api/verification/me/tasks/{student.RegistrationId}/confirm", new { });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("window-closed", await late.Content.ReadAsStringAsync());

        await SweepAsync();
        var expired = await Eventually.GetAsync(() => SweptAsync(() => app.TaskAsync(student.RegistrationId)), t => t.State == TaskState.ExpiredUnverified, what: "expired-unverified");
        Assert.Null(expired.DecidedAt);
        Assert.Equal(1, await app.OutboxCountAsync("VerificationExpired", student.RegistrationId));
        Assert.Equal(2, await app.OutboxCountAsync("VerificationReminderDue", student.RegistrationId));
        var view = await VerificationApp.ReadAsync<Capture.Verification.Apis.StudentTaskView>(await client.GetAsync($"/api/verification/me/tasks/{student.RegistrationId}"));
        Assert.Equal("expired-unverified", view.State);
        Assert.False(view.MayDecide);

        // Exported as such only when the school asks for it.
        using var admin = app.Admin(student.School);
        async Task<Capture.Verification.Apis.ExportsApi.ExportView> ExportAsync(object body)
        {
            var started = await VerificationApp.ReadAsync<Capture.Verification.Apis.ExportsApi.ExportView>(await admin.PostAsJsonAsync($"/api/verification/campaigns/{student.CampaignId}/exports", body));
            return await Eventually.GetAsync(
                async () => await VerificationApp.ReadAsync<Capture.Verification.Apis.ExportsApi.ExportView>(await admin.GetAsync($"/api/verification/exports/{started.BatchId}")),
                b => b.State is "ready" or "failed", what: "the batch");
        }

        Assert.Equal(0, (await ExportAsync(new { })).PhotoCount);
        var withExpired = await ExportAsync(new { includeExpiredUnverified = true });
        Assert.Equal(("ready", 1), (withExpired.State, withExpired.PhotoCount));
    }

    [Fact]
    public async Task A_decided_task_gets_no_reminder_and_never_expires()
    {
        var student = await app.ApproveAsync(windowDays: 5);
        await app.AcceptPhotoAsync(student, at: app.Now);
        using var client = app.Student(student);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/verification/me/tasks/{student.RegistrationId}/confirm", new { })).StatusCode);
        var deadline = (await app.TaskAsync(student.RegistrationId)).Deadline!.Value;

        app.Clock!.SetUtcNow(deadline + TimeSpan.FromDays(1));
        await SweepAsync();
        await SweepAsync();
        Assert.Equal(TaskState.Confirmed, (await app.TaskAsync(student.RegistrationId)).State);
        Assert.Empty(await RemindersAsync(student.RegistrationId));
        Assert.Equal(0, await app.OutboxCountAsync("VerificationExpired", student.RegistrationId));
    }
}
