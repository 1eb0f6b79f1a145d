using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.Registration;
using Capture.Scheduling.Apis;
using Capture.Scheduling.Infrastructure;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Scheduling.Tests;

/// <summary>What changes in Registration after an approval (a revoked code, a new fee, a corrected name) reaches check-in and lists.</summary>
public sealed class ChangesAfterApprovalTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private const string Prefix = SchedulingDbContext.RoutePrefix;

    private async Task<(CaptureWorld World, HttpClient Operator, Guid StationId, Guid SessionId)> ReadyAsync()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var station = await world.StationAsync(venue.Id, "R1", 200);
        var session = await world.SessionAsync(day.Id, venue.Id, "08:00", "10:00");
        return (world, world.Operator(venue.Id), station.Id, session.Id);
    }

    private static Task<HttpResponseMessage> ScanAsync(HttpClient op, Guid stationId, Guid sessionId, string code) =>
        op.PostAsJsonAsync($"{Prefix}/stations/{stationId}/check-ins", new { captureCode = code, sessionId });

    private static async Task<string?> ReasonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("reason", out var reason) ? reason.GetString() : null;

    private async Task RevokeAsync(CaptureWorld world, TestStudent student, int validFrom)
    {
        await app.Bus.Publish(new CaptureCodeRevoked(student.RegistrationId, world.CampaignId, world.School, validFrom, CaptureCodeRevoked.Revoked, DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(
            () => world.CountAsync(db => db.Registrations.AnyAsync(r => r.RegistrationId == student.RegistrationId && r.CaptureCodesValidFrom >= validFrom)),
            TimeSpan.FromSeconds(10), "CaptureCodeRevoked to reach Scheduling");
    }

    [Fact]
    public async Task A_code_verified_a_moment_before_its_revocation_is_refused_at_once_although_this_instance_still_caches_it()
    {
        var (world, op, stationId, sessionId) = await ReadyAsync();
        var students = await world.ApproveAsync("law", 2);
        await world.AllocateAsync(sessionId, "law", 2);
        using (var first = await ScanAsync(op, stationId, sessionId, students[0].CaptureCode))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        var started = DateTimeOffset.UtcNow;
        await RevokeAsync(world, students[0], validFrom: 2);
        var arrived = DateTimeOffset.UtcNow - started;

        // The cache entry of the verified code is still there (as on any other instance), and Registration's stand-in
        // still answers "valid" (its answer predates the revocation): the database's watermark alone refuses the code.
        var cache = app.Service.Services.GetRequiredService<IMemoryCache>();
        Assert.True(cache.TryGetValue(CaptureCodeVerifier.CacheKey(CaptureCodeVerifier.Hash(students[0].CaptureCode)), out _));
        using var again = await ScanAsync(op, stationId, sessionId, students[0].CaptureCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("code-revoked", await ReasonAsync(again));
        Assert.True(arrived < TimeSpan.FromSeconds(1), $"the revocation took {arrived.TotalMilliseconds:F0} ms to reach Scheduling");

        // A fresh verification, answered by a Registration that has not heard of the revocation yet, is refused too.
        cache.Remove(CaptureCodeVerifier.CacheKey(CaptureCodeVerifier.Hash(students[0].CaptureCode)));
        using var fresh = await ScanAsync(op, stationId, sessionId, students[0].CaptureCode);
        Assert.Equal("code-revoked", await ReasonAsync(fresh));

        // The other student's code is untouched.
        using var other = await ScanAsync(op, stationId, sessionId, students[1].CaptureCode);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task With_Registration_down_a_revoked_code_is_not_accepted_from_the_offline_copy_and_the_copy_is_deleted()
    {
        var (world, op, stationId, sessionId) = await ReadyAsync();
        var student = (await world.ApproveAsync("med", 1))[0];
        await world.AllocateAsync(sessionId, "med", 1);
        await using (var scope = app.Service.Services.CreateAsyncScope())
        {
            var verifier = scope.ServiceProvider.GetRequiredService<CaptureCodeVerifier>();
            Assert.NotNull((await verifier.ResolveAsync(student.CaptureCode, null, CancellationToken.None)).Resolved);
        }

        var hash = CaptureCodeVerifier.Hash(student.CaptureCode);
        Assert.Equal(1, await world.CountAsync(db => db.VerifiedCaptureCodes.CountAsync(c => c.CodeHash == hash && c.Version == 1)));
        await RevokeAsync(world, student, validFrom: 2);
        Assert.Equal(0, await world.CountAsync(db => db.VerifiedCaptureCodes.CountAsync(c => c.CodeHash == hash)));

        // Another instance with a cold cache, or this one after its entry expired, while Registration is unreachable.
        app.Service.Services.GetRequiredService<IMemoryCache>().Remove(CaptureCodeVerifier.CacheKey(hash));
        await world.CountAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO scheduling.verified_capture_codes (code_hash, registration_id, verified_at, version) VALUES ({hash}, {student.RegistrationId}, now(), 1)"));
        app.Registration.Down = true;
        try
        {
            using var response = await ScanAsync(op, stationId, sessionId, student.CaptureCode);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("code-revoked", await ReasonAsync(response));
        }
        finally
        {
            app.Registration.Down = false;
        }
    }

    [Fact]
    public async Task A_reissued_code_works_and_the_code_it_replaced_does_not_and_a_revocation_before_the_approval_is_kept()
    {
        var (world, op, stationId, sessionId) = await ReadyAsync();
        var student = (await world.ApproveAsync("art", 1))[0];
        await world.AllocateAsync(sessionId, "art", 1);
        using (var first = await ScanAsync(op, stationId, sessionId, student.CaptureCode))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        await app.Bus.Publish(new CaptureCodeRevoked(student.RegistrationId, world.CampaignId, world.School, 2, CaptureCodeRevoked.Reissued, DateTimeOffset.UtcNow));
        var newCode = CaptureWorld.WellFormedCode();
        app.Registration.Add(newCode, new CaptureCodeVerification(student.RegistrationId, world.CampaignId, world.School, student.StudentNumber, student.Name, "art", "art学院", null, "硕士", "**************123X", "Approved", 2));
        await Eventually.TrueAsync(
            () => world.CountAsync(db => db.Registrations.AnyAsync(r => r.RegistrationId == student.RegistrationId && r.CaptureCodesValidFrom == 2)), what: "the re-issue");

        using var old = await ScanAsync(op, stationId, sessionId, student.CaptureCode);
        using var current = await ScanAsync(op, stationId, sessionId, newCode);
        Assert.Equal("code-revoked", await ReasonAsync(old));
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);

        // Revoked before its (re-)approval arrives: the approval with the older code version does not revive it.
        var late = Guid.NewGuid();
        await app.Bus.Publish(new CaptureCodeRevoked(late, world.CampaignId, world.School, 3, CaptureCodeRevoked.Revoked, DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => world.CountAsync(db => db.Registrations.AnyAsync(r => r.RegistrationId == late)), what: "the tombstone");
        await app.Bus.Publish(new RegistrationApproved(late, world.CampaignId, world.School, "art", "art学院", null, "S-late", "迟到", "**************123X", "硕士", "全日制", null, 0,
            DateTimeOffset.UtcNow.AddSeconds(-5), CaptureCodeVersion: 2));
        var row = await Eventually.GetAsync(() => world.CountAsync(db => db.Registrations.AsNoTracking().FirstAsync(r => r.RegistrationId == late)), r => r.ApprovedAt is not null, what: "the approval");
        Assert.Equal(3, row.CaptureCodesValidFrom);
        Assert.Equal("S-late", row.StudentNumber);
    }

    [Fact]
    public async Task A_fee_raised_from_zero_after_approval_stops_admitting_unpaid_students_and_an_older_approval_does_not_undo_it()
    {
        var (world, op, stationId, sessionId) = await ReadyAsync();
        var students = await world.ApproveAsync("eco", 2, feeFen: 0);
        await world.AllocateAsync(sessionId, "eco", 3);

        var changedAt = DateTimeOffset.UtcNow;
        await app.Bus.Publish(new CampaignFeeChanged(world.CampaignId, world.School, 3000, changedAt));
        await Eventually.TrueAsync(
            () => world.CountAsync(db => db.Registrations.CountAsync(r => r.CampaignId == world.CampaignId && r.FeeFen == 3000)).ContinueWith(t => t.Result == 2),
            what: "the fee change to reach both registrations");

        using var unpaid = await ScanAsync(op, stationId, sessionId, students[0].CaptureCode);
        Assert.Equal(HttpStatusCode.Conflict, unpaid.StatusCode);
        Assert.Equal("unpaid", await ReasonAsync(unpaid));
        await world.PayAsync(students[1], 3000);
        using var paid = await ScanAsync(op, stationId, sessionId, students[1].CaptureCode);
        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);

        // An approval published before the change, delivered after it, keeps the new fee.
        var late = Guid.NewGuid();
        await app.Bus.Publish(new RegistrationApproved(late, world.CampaignId, world.School, "eco", "eco学院", null, "S-" + late.ToString("N")[..8], "迟到", "**************123X", "硕士", "全日制", null, 0,
            changedAt.AddSeconds(-1), CaptureCodeVersion: 1));
        var row = await Eventually.GetAsync(() => world.CountAsync(db => db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.RegistrationId == late)), r => r is not null, what: "the late approval");
        Assert.Equal(3000, row!.FeeFen);
    }

    [Fact]
    public async Task Corrected_name_class_and_campus_reach_the_local_copy_and_an_older_correction_does_not_overwrite_a_newer_one()
    {
        var (world, _, _, _) = await ReadyAsync();
        var student = (await world.ApproveAsync("phy", 1, campus: "main", className: "物理1班"))[0];
        var snapshot = new StudentDataSnapshot(student.StudentNumber, "张三丰", "居民身份证", "110101199003070011", "硕士", "全日制", "phy", "phy学院", "物理2班", "east");
        var at = DateTimeOffset.UtcNow;
        await app.Bus.Publish(new StudentDataCorrected(student.RegistrationId, world.CampaignId, ["name", "className", "campus"], at, snapshot));
        var row = await Eventually.GetAsync(
            () => world.CountAsync(db => db.Registrations.AsNoTracking().FirstAsync(r => r.RegistrationId == student.RegistrationId)),
            r => r.StudentName == "张三丰", what: "the correction");
        Assert.Equal("物理2班", row.ClassName);
        Assert.Equal("east", row.Campus);
        Assert.Equal("phy", row.CollegeCode);

        // An older correction, delivered late, changes nothing.
        await app.Bus.Publish(new StudentDataCorrected(student.RegistrationId, world.CampaignId, ["name"], at.AddSeconds(-10), snapshot with { StudentName = "旧名字" }));
        var marker = Guid.NewGuid();
        await app.Bus.Publish(new StudentDataCorrected(marker, world.CampaignId, ["name"], at, snapshot));
        await Eventually.TrueAsync(() => world.CountAsync(db => db.Registrations.AnyAsync(r => r.RegistrationId == marker)), what: "a later message on the same queue");
        Assert.Equal("张三丰", (await world.CountAsync(db => db.Registrations.AsNoTracking().FirstAsync(r => r.RegistrationId == student.RegistrationId))).StudentName);
    }

    [Fact]
    public async Task An_approval_with_every_field_at_the_contract_limit_is_stored_and_checks_in()
    {
        var (world, op, stationId, sessionId) = await ReadyAsync();
        var longClass = new string('班', StudentDataLimits.ClassName);
        var longCampus = new string('区', StudentDataLimits.Campus);
        var student = (await world.ApproveAsync("lng", 1, campus: longCampus, className: longClass))[0];
        await world.AllocateAsync(sessionId, "lng", 1);

        var row = await world.CountAsync(db => db.Registrations.AsNoTracking().FirstAsync(r => r.RegistrationId == student.RegistrationId));
        Assert.Equal(longClass, row.ClassName);
        Assert.Equal(longCampus, row.Campus);
        using var scan = await ScanAsync(op, stationId, sessionId, student.CaptureCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, scan.StatusCode);
    }

    [Fact]
    public void Every_column_that_stores_contract_data_is_at_least_as_wide_as_the_contract_allows()
    {
        using var scope = app.Service.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<SchedulingDbContext>().Model;
        var registrations = model.FindEntityType(typeof(Domain.ApprovedRegistration))!;
        void AtLeast(string property, int limit) =>
            Assert.True((registrations.FindProperty(property)!.GetMaxLength() ?? int.MaxValue) >= limit, $"registrations.{property} is narrower than the contract's {limit}");

        AtLeast(nameof(Domain.ApprovedRegistration.SchoolCode), StudentDataLimits.SchoolCode);
        AtLeast(nameof(Domain.ApprovedRegistration.CollegeCode), StudentDataLimits.CollegeCode);
        AtLeast(nameof(Domain.ApprovedRegistration.CollegeName), StudentDataLimits.CollegeName);
        AtLeast(nameof(Domain.ApprovedRegistration.ClassName), StudentDataLimits.ClassName);
        AtLeast(nameof(Domain.ApprovedRegistration.StudentNumber), StudentDataLimits.StudentNumber);
        AtLeast(nameof(Domain.ApprovedRegistration.StudentName), StudentDataLimits.StudentName);
        AtLeast(nameof(Domain.ApprovedRegistration.MaskedIdNumber), StudentDataLimits.MaskedIdNumber);
        AtLeast(nameof(Domain.ApprovedRegistration.DegreeLevel), StudentDataLimits.DegreeLevel);
        AtLeast(nameof(Domain.ApprovedRegistration.Campus), StudentDataLimits.Campus);
        Assert.True(model.FindEntityType(typeof(Domain.ClassSlot))!.FindProperty(nameof(Domain.ClassSlot.ClassName))!.GetMaxLength() >= StudentDataLimits.ClassName);
    }
}
