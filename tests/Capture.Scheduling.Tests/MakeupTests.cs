using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Scheduling.Apis;
using Capture.Scheduling.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Tests;

/// <summary>Closing a session, makeup eligibility and first-come-first-served makeup booking under concurrency.</summary>
public sealed class MakeupTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private const string Prefix = SchedulingDbContext.RoutePrefix;

    private async Task<(CaptureWorld World, VenueResponse Venue, SessionResponse Regular, StationResponse Station, Guid DayId)> SetupAsync()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var station = await world.StationAsync(venue.Id, "M1");
        var regular = await world.SessionAsync(day.Id, venue.Id, "08:00", "12:00");
        return (world, venue, regular, station, day.Id);
    }

    [Fact]
    public async Task Closing_a_session_lists_its_absentees_who_become_eligible_and_SessionClosed_is_emitted()
    {
        var (world, venue, regular, station, _) = await SetupAsync();
        var students = await world.ApproveAsync("law", 3);
        await world.AllocateAsync(regular.Id, "law", 3);
        using var op = world.Operator(venue.Id);
        (await op.PostAsJsonAsync($"{Prefix}/stations/{station.Id}/check-ins", new { captureCode = students[0].CaptureCode, sessionId = regular.Id })).EnsureSuccessStatusCode();
        using var noShow = await op.PostAsJsonAsync($"{Prefix}/stations/{station.Id}/check-ins", new { captureCode = students[1].CaptureCode, sessionId = regular.Id });
        var noShowId = (await noShow.Content.ReadFromJsonAsync<CheckInResponse>())!.CheckInId;
        (await op.PutAsJsonAsync($"{Prefix}/check-ins/{noShowId}/status", new { status = "absent" })).EnsureSuccessStatusCode();

        using var close = await op.PostAsync($"{Prefix}/sessions/{regular.Id}/close", null);
        var closed = (await close.Content.ReadFromJsonAsync<SessionClosedResponse>())!;
        using var again = await op.PostAsync($"{Prefix}/sessions/{regular.Id}/close", null);
        using var late = await op.PostAsJsonAsync($"{Prefix}/stations/{station.Id}/check-ins", new { captureCode = students[2].CaptureCode, sessionId = regular.Id });

        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.Equal(new[] { students[1].RegistrationId, students[2].RegistrationId }.Order(), closed.AbsentRegistrationIds.Order());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("session-closed", (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        var eligible = await world.CountAsync(db => db.MakeupEligibilities.Where(e => e.CampaignId == world.CampaignId).Select(e => e.RegistrationId).ToListAsync());
        Assert.Equal(closed.AbsentRegistrationIds.Order(), eligible.Order());
        Assert.Equal(1, await world.EventsAsync("SessionClosed", regular.Id));
    }

    [Fact]
    public async Task One_hundred_concurrent_bookings_for_ten_places_give_exactly_ten()
    {
        var (world, venue, regular, _, dayId) = await SetupAsync();
        var students = await world.ApproveAsync("eng", 100);
        await world.AllocateAsync(regular.Id, "eng", 100);
        using (var op = world.Operator(venue.Id))
        {
            (await op.PostAsync($"{Prefix}/sessions/{regular.Id}/close", null)).EnsureSuccessStatusCode();
        }

        var makeup = await world.SessionAsync(dayId, venue.Id, "14:00", "16:00", kind: "makeup", capacity: 10);
        var clients = students.Select(world.Student).ToList();

        var responses = await Task.WhenAll(clients.Select(c => c.PostAsync($"{Prefix}/makeup-sessions/{makeup.Id}/bookings", null)));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(90, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(10, await world.CountAsync(db => db.MakeupBookings.CountAsync(b => b.MakeupSessionId == makeup.Id && b.CancelledAt == null)));
        Assert.Equal(10, await world.CountAsync(db => db.Sessions.Where(s => s.Id == makeup.Id).Select(s => s.Booked).SingleAsync()));
        Assert.Equal(10, await world.EventsAsync("MakeupBooked", makeup.Id));
        foreach (var c in clients)
        {
            c.Dispose();
        }
    }

    [Fact]
    public async Task Cancelling_frees_the_place_for_the_next_student_and_a_student_holds_one_booking()
    {
        var (world, venue, regular, _, dayId) = await SetupAsync();
        var students = await world.ApproveAsync("art", 2);
        await world.AllocateAsync(regular.Id, "art", 2);
        using (var op = world.Operator(venue.Id))
        {
            (await op.PostAsync($"{Prefix}/sessions/{regular.Id}/close", null)).EnsureSuccessStatusCode();
        }

        var makeup = await world.SessionAsync(dayId, venue.Id, "14:00", "15:00", kind: "makeup", capacity: 1);
        var other = await world.SessionAsync(dayId, venue.Id, "15:00", "16:00", kind: "makeup", capacity: 5);
        using var first = world.Student(students[0]);
        using var second = world.Student(students[1]);

        using var booked = await first.PostAsync($"{Prefix}/makeup-sessions/{makeup.Id}/bookings", null);
        using var twice = await first.PostAsync($"{Prefix}/makeup-sessions/{other.Id}/bookings", null);
        using var full = await second.PostAsync($"{Prefix}/makeup-sessions/{makeup.Id}/bookings", null);
        var booking = (await booked.Content.ReadFromJsonAsync<MyBooking>())!;
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        Assert.Equal("already-booked", (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal("full", (await full.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(0, await world.CountAsync(db => db.Sessions.Where(s => s.Id == other.Id).Select(s => s.Booked).SingleAsync()));

        Assert.Equal(HttpStatusCode.NotFound, (await second.DeleteAsync($"{Prefix}/makeup-bookings/{booking.BookingId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await first.DeleteAsync($"{Prefix}/makeup-bookings/{booking.BookingId}")).StatusCode);
        using var now = await second.PostAsync($"{Prefix}/makeup-sessions/{makeup.Id}/bookings", null);
        Assert.Equal(HttpStatusCode.Created, now.StatusCode);
        var mine = await second.GetFromJsonAsync<MyMakeupResponse>($"{Prefix}/me/makeup");
        Assert.Equal(makeup.Id, mine!.Booking!.MakeupSessionId);
    }

    [Fact]
    public async Task A_student_who_is_not_eligible_cannot_book()
    {
        var (world, venue, _, _, dayId) = await SetupAsync();
        var student = (await world.ApproveAsync("bio", 1))[0];
        var makeup = await world.SessionAsync(dayId, venue.Id, "14:00", "15:00", kind: "makeup", capacity: 3);
        using var me = world.Student(student);

        using var response = await me.PostAsync($"{Prefix}/makeup-sessions/{makeup.Id}/bookings", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("not-eligible", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(0, await world.CountAsync(db => db.Sessions.Where(s => s.Id == makeup.Id).Select(s => s.Booked).SingleAsync()));
    }
}
