using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Capture.Contracts.CaptureIngest;
using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Capture.Verification.Apis;
using Capture.Verification.Domain;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Verification.Tests;

public sealed class StudentVerificationTests(VerificationApp app) : IClassFixture<VerificationApp>
{
    private const string Me = "/api/verification/me/tasks";

    [Fact]
    public async Task A_student_sees_the_photo_and_the_data_exactly_as_exported_and_each_photo_url_is_audited()
    {
        var student = await app.ApproveAsync(windowDays: 30);
        var photo = await app.AcceptPhotoAsync(student);
        using var client = app.Student(student);

        var list = await VerificationApp.ReadAsync<List<StudentTaskView>>(await client.GetAsync(Me));
        var task = Assert.Single(list);
        Assert.Equal(student.RegistrationId, task.TaskId);
        Assert.Equal("open", task.State);
        Assert.True(task.MayDecide);
        Assert.Equal(student.IdNumber, task.Data!.IdNumber);
        Assert.Equal(student.Name, task.Data.Name);
        Assert.Equal(student.IdNumber + ".jpg", task.ExportFileName);
        Assert.Equal(photo.Sha256, task.PhotoSha256);
        var days = (task.Deadline!.Value - DateTimeOffset.UtcNow).TotalDays;
        Assert.InRange(days, 30, 31.01);
        Assert.Equal(TimeSpan.FromHours(8), task.Deadline.Value.Offset);

        var link = await VerificationApp.ReadAsync<PresignedUrl>(await client.GetAsync($"{Me}/{task.TaskId}/photo"));
        using var plain = new HttpClient();
        var bytes = await plain.GetByteArrayAsync(link.Url);
        Assert.Equal(photo.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.InRange(link.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));

        var audit = await app.InDbAsync(db => db.PhotoAccesses.Where(a => a.RegistrationId == student.RegistrationId).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal("photo", entry.What);
        Assert.Equal($"student:{student.StudentNumber}", entry.Actor);
        Assert.Equal(photo.PhotoId, entry.PhotoId);
    }

    [Fact]
    public async Task Confirm_is_final_confirm_again_and_dispute_after_confirm_are_409_and_PhotoVerified_is_published_once()
    {
        var student = await app.ApproveAsync();
        await app.AcceptPhotoAsync(student);
        using var client = app.Student(student);

        var confirmed = await VerificationApp.ReadAsync<StudentTaskView>(await client.PostAsync($"{Me}/{student.RegistrationId}/confirm", null));
        Assert.Equal("confirmed", confirmed.State);
        Assert.False(confirmed.MayDecide);

        var again = await client.PostAsJsonAsync($"{Me}/{student.RegistrationId}/confirm", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already-confirmed", await again.Content.ReadAsStringAsync());

        var dispute = await client.PostAsJsonAsync($"{Me}/{student.RegistrationId}/dispute", new { kind = "photo" });
        Assert.Equal(HttpStatusCode.Conflict, dispute.StatusCode);

        Assert.Equal(1, await app.OutboxCountAsync("PhotoVerified", student.RegistrationId));
        Assert.Equal(0, await app.OutboxCountAsync("VerificationDisputed", student.RegistrationId));
        var decision = await app.InDbAsync(db => db.History.SingleAsync(h => h.RegistrationId == student.RegistrationId && h.Kind == TaskHistoryEntry.Confirmed));
        Assert.Equal($"student:{student.StudentNumber}", decision.Actor);
        Assert.NotNull(decision.PhotoSha256);
    }

    [Fact]
    public async Task Confirm_twice_at_once_makes_one_decision()
    {
        var student = await app.ApproveAsync();
        await app.AcceptPhotoAsync(student);
        using var a = app.Student(student);
        using var b = app.Student(student);

        var answers = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).PostAsJsonAsync($"{Me}/{student.RegistrationId}/confirm", new { })));

        Assert.Equal(1, answers.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await app.InDbAsync(db => db.History.CountAsync(h => h.RegistrationId == student.RegistrationId && h.Kind == TaskHistoryEntry.Confirmed)));
        Assert.Equal(1, await app.OutboxCountAsync("PhotoVerified", student.RegistrationId));
    }

    [Fact]
    public async Task Another_students_task_is_404_and_a_student_token_without_school_is_403_naming_it()
    {
        var school = VerificationApp.NewSchool();
        var mine = await app.ApproveAsync(school);
        var theirs = await app.ApproveAsync(school);
        await app.AcceptPhotoAsync(theirs);
        using var client = app.Student(mine);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Me}/{theirs.RegistrationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Me}/{theirs.RegistrationId}/photo")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"{Me}/{theirs.RegistrationId}/confirm", new { })).StatusCode);
        Assert.Empty(await VerificationApp.ReadAsync<List<StudentTaskView>>(await client.GetAsync(Me)));

        // The same student number in another school is somebody else.
        using var elsewhere = app.Service.CreateClient(TestTokens.For(CaptureRoles.Student, subject: theirs.StudentNumber, school: VerificationApp.NewSchool()));
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.PostAsJsonAsync($"{Me}/{theirs.RegistrationId}/confirm", new { })).StatusCode);

        using var noSchool = app.Service.CreateClient(TestTokens.For(CaptureRoles.Student, subject: theirs.StudentNumber, school: null));
        var forbidden = await noSchool.GetAsync(Me);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("'school'", await forbidden.Content.ReadAsStringAsync());

        Assert.Equal("open", (await app.TaskAsync(theirs.RegistrationId)).State.Kebab());
    }

    [Fact]
    public async Task A_photo_dispute_publishes_the_event_and_a_retake_reopens_the_task_keeping_every_photo_and_decision()
    {
        var student = await app.ApproveAsync();
        var first = await app.AcceptPhotoAsync(student, at: DateTimeOffset.UtcNow.AddMinutes(-10));
        using var client = app.Student(student);

        var disputed = await VerificationApp.ReadAsync<StudentTaskView>(
            await client.PostAsJsonAsync($"{Me}/{student.RegistrationId}/dispute", new { kind = "photo", comment = "眼睛闭上了" }));
        Assert.Equal("disputed-photo", disputed.State);
        Assert.Equal(1, await app.OutboxCountAsync("VerificationDisputed", student.RegistrationId));
        var body = await app.InDbAsync(db => db.OutboxMessages.Where(m => m.MessageType == "Capture.Contracts.Verification.VerificationDisputed").Select(m => m.Body).ToListAsync());
        Assert.Contains(body, b => b.Contains(student.RegistrationId.ToString()) && b.Replace(" ", "").Contains("\"kind\":\"photo\""));

        var second = await app.AcceptPhotoAsync(student);
        var reopened = await VerificationApp.ReadAsync<StudentTaskView>(await client.GetAsync($"{Me}/{student.RegistrationId}"));
        Assert.Equal("open", reopened.State);
        Assert.Equal(2, reopened.Round);
        Assert.Equal(second.Sha256, reopened.PhotoSha256);

        // An older acceptance arriving late changes nothing.
        await app.Bus.Publish(new PhotoAccepted(Guid.NewGuid(), student.RegistrationId, student.CampaignId, student.School, "s", "B1-0002", "old.jpg", new string('a', 64), true, [], "auto", DateTimeOffset.UtcNow.AddHours(-1)));
        await Task.Delay(500);
        Assert.Equal(second.PhotoId, (await app.TaskAsync(student.RegistrationId)).PhotoId);

        var stale = await client.PostAsJsonAsync($"{Me}/{student.RegistrationId}/confirm", new { round = 1 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("changed", await stale.Content.ReadAsStringAsync());
        Assert.Equal("confirmed", (await VerificationApp.ReadAsync<StudentTaskView>(await client.PostAsJsonAsync($"{Me}/{student.RegistrationId}/confirm", new { round = 2 }))).State);

        using var admin = app.Admin(student.School);
        var detail = await VerificationApp.ReadAsync<TaskDetail>(await admin.GetAsync($"/api/verification/tasks/{student.RegistrationId}"));
        Assert.Equal([TaskHistoryEntry.PhotoAccepted, TaskHistoryEntry.DisputedPhoto, TaskHistoryEntry.PhotoAccepted, TaskHistoryEntry.Confirmed], detail.History.Where(h => h.Kind != TaskHistoryEntry.DataChanged).Select(h => h.Kind));
        Assert.Equal([first.PhotoId, second.PhotoId], detail.History.Where(h => h.Kind == TaskHistoryEntry.PhotoAccepted).Select(h => h.PhotoId!.Value));
        Assert.Equal("眼睛闭上了", detail.History.Single(h => h.Kind == TaskHistoryEntry.DisputedPhoto).Comment);
    }

    [Fact]
    public async Task A_data_dispute_waits_for_the_correction_then_the_student_verifies_the_new_data()
    {
        var student = await app.ApproveAsync();
        await app.AcceptPhotoAsync(student);
        using var client = app.Student(student);

        var disputed = await VerificationApp.ReadAsync<StudentTaskView>(
            await client.PostAsJsonAsync($"{Me}/{student.RegistrationId}/dispute", new { kind = "data", fields = new[] { "Name", "idNumber", "name" } }));
        Assert.Equal("disputed-data", disputed.State);
        Assert.False(disputed.MayDecide);
        var history = await app.InDbAsync(db => db.History.SingleAsync(h => h.RegistrationId == student.RegistrationId && h.Kind == TaskHistoryEntry.DisputedData));
        Assert.Equal("name,idNumber", history.Fields);

        var newId = VerificationApp.NewIdNumber();
        await app.Bus.Publish(new StudentDataCorrected(student.RegistrationId, student.CampaignId, ["name", "idNumber"], DateTimeOffset.UtcNow,
            new StudentDataSnapshot(student.StudentNumber, "王小明", "居民身份证", newId, "硕士", "全日制", student.College, student.College + "学院")));
        var reopened = await Eventually.GetAsync(
            async () => await VerificationApp.ReadAsync<StudentTaskView>(await client.GetAsync($"{Me}/{student.RegistrationId}")), t => t.Round == 2, what: "the task reopened");
        Assert.Equal("open", reopened.State);
        Assert.Equal("王小明", reopened.Data!.Name);
        Assert.Equal(newId, reopened.Data.IdNumber);
        Assert.Equal(newId + ".jpg", reopened.ExportFileName);
        Assert.Equal("confirmed", (await VerificationApp.ReadAsync<StudentTaskView>(await client.PostAsJsonAsync($"{Me}/{student.RegistrationId}/confirm", new { round = 2 }))).State);
    }

    [Fact]
    public async Task A_rejected_data_correction_reopens_the_task_with_the_data_as_it_was_and_the_schools_note_once()
    {
        var student = await app.ApproveAsync();
        await app.AcceptPhotoAsync(student);
        using var client = app.Student(student);
        var disputed = await VerificationApp.ReadAsync<StudentTaskView>(
            await client.PostAsJsonAsync($"{Me}/{student.RegistrationId}/dispute", new { kind = "data", fields = new[] { "name" } }));
        Assert.Equal("disputed-data", disputed.State);

        // The same event twice (a redelivery): one new round, one history entry.
        var rejected = new StudentDataCorrectionRejected(student.RegistrationId, student.CampaignId, ["name"], "户籍证明与学籍一致，姓名无误", DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();
        await app.Bus.Publish(rejected, c => c.MessageId = messageId);
        await app.Bus.Publish(rejected, c => c.MessageId = messageId);
        var reopened = await Eventually.GetAsync(
            async () => await VerificationApp.ReadAsync<StudentTaskView>(await client.GetAsync($"{Me}/{student.RegistrationId}")), t => t.State == "open", what: "the task reopened");
        Assert.Equal(disputed.Round + 1, reopened.Round);
        Assert.True(reopened.MayDecide);
        Assert.Equal(disputed.Data!.Name, reopened.Data!.Name);
        var entries = await app.InDbAsync(db => db.History.Where(h => h.RegistrationId == student.RegistrationId && h.Kind == TaskHistoryEntry.CorrectionRejected).ToListAsync());
        Assert.Equal("户籍证明与学籍一致，姓名无误", Assert.Single(entries).Comment);

        // A rejection arriving for a task that is no longer waiting for it (confirmed meanwhile) changes nothing.
        Assert.Equal("confirmed", (await VerificationApp.ReadAsync<StudentTaskView>(await client.PostAsJsonAsync($"{Me}/{student.RegistrationId}/confirm", new { round = reopened.Round }))).State);
        await app.Bus.Publish(rejected with { RejectedAt = DateTimeOffset.UtcNow });
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = await VerificationApp.ReadAsync<StudentTaskView>(await client.GetAsync($"{Me}/{student.RegistrationId}"));
        Assert.Equal("confirmed", after.State);
        Assert.Equal(reopened.Round, after.Round);
    }

    [Fact]
    public async Task Hostile_bodies_get_400_naming_the_field_or_413_and_never_change_the_task()
    {
        var student = await app.ApproveAsync();
        await app.AcceptPhotoAsync(student);
        using var client = app.Student(student);
        var url = $"{Me}/{student.RegistrationId}/dispute";

        async Task Bad(HttpContent content, string field)
        {
            var response = await client.PostAsync(url, content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            Assert.Contains(field, text, StringComparison.OrdinalIgnoreCase);
        }

        await Bad(JsonContent.Create(new { kind = "face" }), "kind");
        await Bad(JsonContent.Create(new { kind = "data" }), "fields");
        await Bad(JsonContent.Create(new { kind = "data", fields = new[] { "password" } }), "fields");
        await Bad(JsonContent.Create(new { kind = "data", fields = Enumerable.Repeat("name", 8) }), "fields");
        await Bad(JsonContent.Create(new { kind = "photo", fields = new[] { "name" } }), "fields");
        await Bad(JsonContent.Create(new { kind = "photo", comment = new string('长', Limits.Comment + 1) }), "comment");
        await Bad(JsonContent.Create(new { kind = "photo", round = 0 }), "round");
        await Bad(new StringContent("{\"kind\": ", Encoding.UTF8, "application/json"), "");
        await Bad(new StringContent("{\"kind\": 12, \"round\": \"x\"}", Encoding.UTF8, "application/json"), "");
        var confirm = await client.PostAsync($"{Me}/{student.RegistrationId}/confirm", JsonContent.Create(new { round = -5 }));
        Assert.Equal(HttpStatusCode.BadRequest, confirm.StatusCode);

        var huge = await client.PostAsync(url, new StringContent(JsonSerializer.Serialize(new { kind = "photo", comment = new string('x', 40_000) }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Me}/not-a-guid")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync(url, new StringContent("kind=photo", Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal("open", (await app.TaskAsync(student.RegistrationId)).State.Kebab());
        Assert.Equal(0, await app.OutboxCountAsync("VerificationDisputed", student.RegistrationId));
    }

    [Fact]
    public async Task A_photo_accepted_before_the_approval_waits_for_the_data_and_then_follows_the_campaign_window()
    {
        var school = VerificationApp.NewSchool();
        var early = new TestStudent(Guid.NewGuid(), Guid.NewGuid(), school, "math", "23" + Random.Shared.Next(100000, 999999), "李四", VerificationApp.NewIdNumber());
        await app.AcceptPhotoAsync(early);
        var task = await app.TaskAsync(early.RegistrationId);
        Assert.Null(task.StudentNumber);
        Assert.Equal(TaskState.Open, task.State);

        await app.Bus.Publish(new RegistrationApproved(early.RegistrationId, early.CampaignId, school, "math", "数学学院", null, early.StudentNumber, early.Name,
            PersonalData.MaskIdNumber(early.IdNumber), "本科", "全日制", null, 0, DateTimeOffset.UtcNow, "居民身份证", early.IdNumber, 3));
        await Eventually.TrueAsync(async () => (await app.TaskAsync(early.RegistrationId)).StudentNumber is not null, what: "the data");
        using var client = app.Student(early);
        var view = await VerificationApp.ReadAsync<StudentTaskView>(await client.GetAsync($"{Me}/{early.RegistrationId}"));
        Assert.InRange((view.Deadline!.Value - DateTimeOffset.UtcNow).TotalDays, 3, 4.01);
        Assert.True(view.MayDecide);
    }
}
