using System.Net.Http.Json;
using Capture.Contracts.Payment;
using Capture.Contracts.Registration;
using Capture.Scheduling.Apis;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Scheduling.Tests;

/// <summary>A student a test approved: their registration, student number and capture code.</summary>
public sealed record TestStudent(Guid RegistrationId, string StudentNumber, string Name, string CollegeCode, string? ClassName, string CaptureCode);

/// <summary>
/// One test's own school, campaign, places and students, made through the service's API and through events on the
/// bus, so tests never share data.
/// </summary>
public sealed class CaptureWorld(SchedulingApp app)
{
    private static int counter;

    public string School { get; } = "9" + Interlocked.Increment(ref counter).ToString("D2") + Random.Shared.Next(100, 999);

    public Guid CampaignId { get; } = Guid.NewGuid();

    public DateOnly Day { get; } = new(2030, 10, 25);

    public HttpClient Admin() => app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: School));

    public HttpClient Operator(Guid venueId, string subject = "photographer-1") =>
        app.Service.CreateClient(TestTokens.For(CaptureRoles.StationOperator, subject: subject, school: null, venue: venueId.ToString()));

    public HttpClient Student(TestStudent student) =>
        app.Service.CreateClient(TestTokens.For(CaptureRoles.Student, subject: student.StudentNumber, school: School));

    public async Task<T> PostAsync<T>(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(SchedulingDbContext.RoutePrefix + path, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public async Task<(CampusResponse Campus, VenueResponse Venue, CaptureDayResponse Day)> VenueAsync(string campusCode = "main", string venueCode = "v1")
    {
        using var admin = Admin();
        var campuses = await admin.GetFromJsonAsync<List<CampusResponse>>(SchedulingDbContext.RoutePrefix + "/campuses");
        var campus = campuses!.FirstOrDefault(c => c.Code == campusCode)
            ?? await PostAsync<CampusResponse>(admin, "/campuses", new { code = campusCode, name = campusCode + "校区" });
        var venue = await PostAsync<VenueResponse>(admin, "/venues", new { campusId = campus.Id, code = venueCode, name = "文汇楼 " + venueCode, building = "文汇楼一栋", room = "1403" });
        var days = await PostOrGetDayAsync(admin, campus.Id);
        return (campus, venue, days);
    }

    private bool campaignKnown;

    /// <summary>Announces the campaign as Registration does (CampaignCreated), once, and waits until Scheduling has it.</summary>
    public async Task CampaignAsync()
    {
        if (campaignKnown)
        {
            return;
        }

        await app.Bus.Publish(new CampaignCreated(CampaignId, School, "2025届", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => CountAsync(db => db.Campaigns.AnyAsync(c => c.CampaignId == CampaignId)), what: "CampaignCreated to arrive");
        campaignKnown = true;
    }

    private async Task<CaptureDayResponse> PostOrGetDayAsync(HttpClient admin, Guid campusId)
    {
        await CampaignAsync();
        using var response = await admin.PostAsJsonAsync(SchedulingDbContext.RoutePrefix + "/capture-days", new { campaignId = CampaignId, campusId, date = Day });
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<CaptureDayResponse>())!;
        }

        await using var scope = app.Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulingDbContext>();
        var day = await db.CaptureDays.SingleAsync(d => d.CampaignId == CampaignId && d.CampusId == campusId && d.Date == Day);
        return new CaptureDayResponse(day.Id, day.CampaignId, day.CampusId, day.Date);
    }

    public async Task<StationResponse> StationAsync(Guid venueId, string code, int throughput = 100)
    {
        using var admin = Admin();
        return await PostAsync<StationResponse>(admin, $"/venues/{venueId}/stations", new { code, name = "Camera " + code, throughputPerHour = throughput });
    }

    public async Task<SessionResponse> SessionAsync(Guid dayId, Guid venueId, string start, string end, string kind = "regular", int? capacity = null)
    {
        using var admin = Admin();
        return await PostAsync<SessionResponse>(admin, "/sessions", new { captureDayId = dayId, venueId, start, end, kind, capacity });
    }

    public async Task AllocateAsync(Guid sessionId, string college, int headcount)
    {
        using var admin = Admin();
        await PostAsync<AllocationResponse>(admin, $"/campaigns/{CampaignId}/allocations", new { sessionId, collegeCode = college, expectedHeadcount = headcount });
    }

    public async Task PublishPlanAsync()
    {
        using var admin = Admin();
        await PostAsync<PlanResponse>(admin, $"/campaigns/{CampaignId}/plan/publish", new { instructions = "带学生证和采集码" });
    }

    /// <summary>Publishes RegistrationApproved for <paramref name="count"/> students of a college and waits until Scheduling has them.</summary>
    public async Task<List<TestStudent>> ApproveAsync(string college, int count, long feeFen = 0, string? campus = null, string? className = null)
    {
        var students = Enumerable.Range(0, count).Select(i =>
        {
            var number = $"{School}{college}{Guid.NewGuid().ToString("N")[..8]}";
            return new TestStudent(Guid.NewGuid(), number, $"学生{i}", college, className, WellFormedCode());
        }).ToList();
        foreach (var s in students)
        {
            app.Registration.Add(s.CaptureCode, new CaptureCodeVerification(s.RegistrationId, CampaignId, School, s.StudentNumber, s.Name, college, college + "学院", className, "硕士", "**************123X", "Approved", CaptureCodeVersion: 1));
            await app.Bus.Publish(new RegistrationApproved(s.RegistrationId, CampaignId, School, college, college + "学院", className, s.StudentNumber, s.Name,
                "**************123X", "硕士", "全日制", campus, feeFen, DateTimeOffset.UtcNow, CaptureCodeVersion: 1));
        }

        var ids = students.Select(s => s.RegistrationId).ToList();
        await Eventually.TrueAsync(async () => await CountAsync(db => db.Registrations.CountAsync(r => ids.Contains(r.RegistrationId) && r.ApprovedAt != null)) == count,
            what: $"{count} approvals of {college} to reach Scheduling");
        return students;
    }

    /// <summary>A code of a capture code's shape ("C1" + 48 base64url characters) that only the stand-in Registration knows.</summary>
    public static string WellFormedCode() =>
        CaptureCodeSigner.Prefix + System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(36));

    public async Task PayAsync(TestStudent student, long amountFen)
    {
        var paymentId = Guid.NewGuid();
        await app.Bus.Publish(new PaymentSucceeded(paymentId, student.RegistrationId, CampaignId, amountFen, "CNY", "wechat", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () => await CountAsync(db => db.Payments.CountAsync(p => p.PaymentId == paymentId)) == 1, what: "the payment to reach Scheduling");
    }

    /// <summary>How many integration events of a type, mentioning a value, were written to the outbox.</summary>
    public async Task<int> EventsAsync(string type, Guid mentioning)
    {
        var bodies = await CountAsync(db => db.OutboxMessages.Where(m => m.MessageType.Contains(type)).Select(m => m.Body).ToListAsync());
        return bodies.Count(b => b.Contains(mentioning.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    public async Task<T> CountAsync<T>(Func<SchedulingDbContext, Task<T>> query)
    {
        await using var scope = app.Service.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<SchedulingDbContext>());
    }
}
