using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.Verification;
using Capture.Registration.Infrastructure;
using Capture.Registration.IntegrationEvents;
using Capture.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Registration.Tests;

/// <summary>
/// A student's data dispute at verification (VerificationDisputed, kind data) arrives through the real broker and
/// becomes a correction request here; the student or the school admin gives the value, the approval publishes
/// StudentDataCorrected with the corrected data (which reopens the verification task).
/// </summary>
public sealed class VerificationDisputeTests(RegistrationServiceFixture fixture) : IClassFixture<RegistrationServiceFixture>
{
    private async Task<(TestSchool School, Guid Campaign, RosterData.Row Row, Guid Id)> ApprovedStudentAsync(DateTimeOffset? correctionDeadline = null)
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync(RosterData.Campaign(correctionDeadline: correctionDeadline));
        var row = RosterData.Rows(1, "law")[0];
        (await school.ImportAsync(campaign, [row])).EnsureSuccessStatusCode();
        var id = await school.RegistrationIdAsync(campaign, row.StudentNumber);
        using var staff = school.CollegeStaff("law");
        (await staff.PostAsync($"/api/registration/registrations/{id}/approve", null)).EnsureSuccessStatusCode();
        return (school, campaign, row, id);
    }

    private async Task PublishAsync(params (VerificationDisputed Message, Guid MessageId)[] messages)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(r => r.Host(new Uri(fixture.Factory.Endpoints.MessagingIn(fixture.Factory.VirtualHost))));
        await bus.StartAsync();
        try
        {
            foreach (var (message, messageId) in messages)
            {
                await bus.Publish(message, context => context.MessageId = messageId);
            }
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static VerificationDisputed DataDispute(TestSchool school, Guid campaign, Guid id, int round, params string[] fields) =>
        new(id, id, campaign, school.Code, "law", Guid.NewGuid(), VerificationDisputeKinds.Data, fields, round, DateTimeOffset.UtcNow);

    private static async Task<JsonElement> CorrectionsAsync(HttpClient admin, Guid campaign, Guid id) =>
        JsonSerializer.SerializeToElement((await admin.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/corrections"))
            .EnumerateArray().Where(c => c.GetProperty("registrationId").GetGuid() == id).OrderBy(c => c.GetProperty("field").GetString(), StringComparer.Ordinal).ToList());

    [Fact]
    public async Task A_data_dispute_becomes_one_request_per_field_once_which_the_student_completes_after_the_deadline_and_the_school_approves()
    {
        // The correction deadline passed before verification: that is when students see what goes to CHSI.
        var (school, campaign, row, id) = await ApprovedStudentAsync(correctionDeadline: DateTimeOffset.UtcNow.AddDays(-1));
        using var admin = school.Admin();
        var dispute = DataDispute(school, campaign, id, 1, "name", "idType", "idNumber");
        var messageId = NewId.NextGuid();
        // Redelivered (same message id), and a photo dispute, which is Scheduling's.
        await PublishAsync((dispute, messageId), (dispute, messageId),
            (dispute with { Kind = VerificationDisputeKinds.Photo, Fields = [] }, NewId.NextGuid()));

        var requested = await Eventually.GetAsync(() => CorrectionsAsync(admin, campaign, id), c => c.GetArrayLength() == 2, TimeSpan.FromSeconds(30), "the correction requests");
        Assert.Equal(["idNumber", "name"], requested.EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        Assert.All(requested.EnumerateArray(), c =>
        {
            Assert.Equal("requested", c.GetProperty("status").GetString());
            Assert.Equal("verification", c.GetProperty("requestedBy").GetString());
        });
        Assert.Equal(row.Name, requested[1].GetProperty("oldValue").GetString());

        // A second dispute (another message) while the requests are open adds none.
        var second = NewId.NextGuid();
        await PublishAsync((DataDispute(school, campaign, id, 1, "name"), second));
        await HandledAsync(second);
        Assert.Equal(2, (await CorrectionsAsync(admin, campaign, id)).GetArrayLength());

        // The student gives the correct name in their form, past the deadline, because verification asked for it.
        using var student = school.Student(row.StudentNumber);
        using var completed = await student.PostAsJsonAsync($"/api/registration/me/registrations/{id}/corrections",
            new { field = "name", newValue = "欧阳娜娜", reason = "错字", documentReference = "户口本复印件已交学院" });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var correction = await completed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(requested[1].GetProperty("id").GetGuid(), correction.GetProperty("id").GetGuid());
        Assert.Equal("pending", correction.GetProperty("status").GetString());

        // A field verification did not ask about is still frozen.
        using var frozen = await student.PostAsJsonAsync($"/api/registration/me/registrations/{id}/corrections", new { field = "className", newValue = "5班", reason = "转班" });
        Assert.Equal(HttpStatusCode.Conflict, frozen.StatusCode);

        (await admin.PostAsJsonAsync($"/api/registration/corrections/{correction.GetProperty("id").GetGuid()}/approve", new { })).EnsureSuccessStatusCode();
        var corrected = Assert.Single(await school.OutboxBodiesAsync("StudentDataCorrected", id));
        Assert.Equal(["name"], corrected.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("欧阳娜娜", corrected.GetProperty("current").GetProperty("studentName").GetString());
    }

    [Fact]
    public async Task The_school_admin_enters_the_value_of_a_requested_id_number_and_a_roster_field_closes_once_the_roster_changed_it()
    {
        var (school, campaign, row, id) = await ApprovedStudentAsync();
        using var admin = school.Admin();
        await PublishAsync((DataDispute(school, campaign, id, 1, "idNumber", "degreeLevel"), NewId.NextGuid()));
        var requested = await Eventually.GetAsync(() => CorrectionsAsync(admin, campaign, id), c => c.GetArrayLength() == 2, TimeSpan.FromSeconds(30), "the correction requests");
        var degree = requested[0].GetProperty("id").GetGuid();
        var idNumber = requested[1].GetProperty("id").GetGuid();
        Assert.Equal("degreeLevel", requested[0].GetProperty("field").GetString());

        // Without the value, or with a wrong check digit: 400, nothing changes.
        using (var missing = await admin.PostAsJsonAsync($"/api/registration/corrections/{idNumber}/approve", new { }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Contains("newValue", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var newNumber = RosterData.ResidentIds(1)[0];
        var wrongCheck = newNumber[..17] + (newNumber[17] == '0' ? '1' : '0');
        using (var bad = await admin.PostAsJsonAsync($"/api/registration/corrections/{idNumber}/approve", new { newValue = wrongCheck }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        Assert.Empty(await school.OutboxBodiesAsync("StudentDataCorrected", id));
        using var approved = await admin.PostAsJsonAsync($"/api/registration/corrections/{idNumber}/approve", new { newValue = newNumber.ToLowerInvariant(), idType = "居民身份证" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("applied", (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var corrected = Assert.Single(await school.OutboxBodiesAsync("StudentDataCorrected", id));
        Assert.Equal(newNumber, corrected.GetProperty("current").GetProperty("idNumber").GetString());

        // Degree level comes from the university's system: approving does nothing until the roster has changed it.
        using (var notYet = await admin.PostAsJsonAsync($"/api/registration/corrections/{degree}/approve", new { }))
        {
            Assert.Equal(HttpStatusCode.Conflict, notYet.StatusCode);
            Assert.Contains("roster", await notYet.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        (await school.ImportAsync(campaign, [row with { IdNumber = newNumber, DegreeLevel = "博士" }])).EnsureSuccessStatusCode();
        using var closed = await admin.PostAsJsonAsync($"/api/registration/corrections/{degree}/approve", new { });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("applied", (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(2, (await school.OutboxBodiesAsync("StudentDataCorrected", id)).Count);
    }

    [Fact]
    public async Task Rejecting_what_a_data_dispute_asked_for_tells_verification_once_the_last_request_is_decided()
    {
        var (school, campaign, _, id) = await ApprovedStudentAsync();
        using var admin = school.Admin();
        await PublishAsync((DataDispute(school, campaign, id, 1, "name", "degreeLevel"), NewId.NextGuid()));
        var requested = await Eventually.GetAsync(() => CorrectionsAsync(admin, campaign, id), c => c.GetArrayLength() == 2, TimeSpan.FromSeconds(30), "the correction requests");

        using (var noNote = await admin.PostAsJsonAsync($"/api/registration/corrections/{requested[0].GetProperty("id").GetGuid()}/reject", new { }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        }

        // One of two rejected: the dispute is not answered yet.
        (await admin.PostAsJsonAsync($"/api/registration/corrections/{requested[0].GetProperty("id").GetGuid()}/reject", new { note = "与户籍一致" })).EnsureSuccessStatusCode();
        Assert.Empty(await school.OutboxBodiesAsync("StudentDataCorrectionRejected", id));

        // The last one: Verification learns that the data stands, with both fields and the school's note.
        (await admin.PostAsJsonAsync($"/api/registration/corrections/{requested[1].GetProperty("id").GetGuid()}/reject", new { note = "班级以学籍为准" })).EnsureSuccessStatusCode();
        var told = Assert.Single(await school.OutboxBodiesAsync("StudentDataCorrectionRejected", id));
        Assert.Equal(["degreeLevel", "name"], told.GetProperty("fields").EnumerateArray().Select(f => f.GetString()).Order());
        Assert.Equal("班级以学籍为准", told.GetProperty("note").GetString());

        // Rejecting again changes nothing and tells nobody twice.
        (await admin.PostAsJsonAsync($"/api/registration/corrections/{requested[1].GetProperty("id").GetGuid()}/reject", new { note = "班级以学籍为准" })).EnsureSuccessStatusCode();
        Assert.Single(await school.OutboxBodiesAsync("StudentDataCorrectionRejected", id));
    }

    [Fact]
    public async Task A_withdrawn_registration_gets_no_request_and_college_staff_see_only_their_college()
    {
        var (school, campaign, _, id) = await ApprovedStudentAsync();
        using var admin = school.Admin();
        (await admin.PostAsJsonAsync($"/api/registration/registrations/{id}/withdraw", new { reason = "退学" })).EnsureSuccessStatusCode();
        var messageId = NewId.NextGuid();
        await PublishAsync((DataDispute(school, campaign, id, 1, "name"), messageId));
        await HandledAsync(messageId);
        Assert.Equal(0, (await CorrectionsAsync(admin, campaign, id)).GetArrayLength());

        var (other, otherCampaign, _, otherId) = await ApprovedStudentAsync();
        await PublishAsync((DataDispute(other, otherCampaign, otherId, 1, "studyMode"), NewId.NextGuid()));
        using var law = other.CollegeStaff("law");
        using var med = other.CollegeStaff("med");
        await Eventually.TrueAsync(async () => (await CorrectionsAsync(law, otherCampaign, otherId)).GetArrayLength() == 1, TimeSpan.FromSeconds(30), "the request, for the student's college");
        Assert.Equal(0, (await med.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{otherCampaign}/corrections")).GetArrayLength());
    }

    /// <summary>Waits until the consumer has handled the message (its inbox row is written in the handler's transaction).</summary>
    private async Task HandledAsync(Guid messageId)
    {
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = fixture.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
            return await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer.EndsWith(nameof(VerificationDisputedConsumer)));
        }, TimeSpan.FromSeconds(30), "the dispute handled");
    }
}
