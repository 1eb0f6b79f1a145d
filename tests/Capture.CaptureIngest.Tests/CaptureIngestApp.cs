using System.Net.Http.Headers;
using System.Net.Http.Json;
using Capture.CaptureIngest.Apis;
using Capture.CaptureIngest.Infrastructure;
using Capture.Contracts.Registration;
using Capture.Contracts.Scheduling;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.CaptureIngest.Tests;

/// <summary>
/// CaptureIngest in-process on its own database and RabbitMQ virtual host of the real servers, with the real S3
/// server, and a MassTransit bus on the same virtual host that publishes what Scheduling and Registration would.
/// </summary>
public class CaptureIngestApp : IAsyncLifetime
{
    private static int schools;

    public CaptureIngestApp()
        : this(new Dictionary<string, string?>())
    {
    }

    protected CaptureIngestApp(IDictionary<string, string?> settings)
    {
        Service = new Factory(settings);
    }

    public Factory Service { get; }

    public IBusControl Bus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Service.InitializeAsync();
        using (Service.CreateClient())
        {
            // starts the service: migrations applied, consumers bound
        }

        Bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(Service.Endpoints.MessagingIn(Service.VirtualHost))));
        await Bus.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Bus.StopAsync();
        await Service.DisposeAsync();
    }

    public static string NewSchool() => "8" + Interlocked.Increment(ref schools).ToString("D2") + Random.Shared.Next(10, 99);

    /// <summary>A station of a new venue, announced as Scheduling does, and known to the service once this returns.</summary>
    public async Task<TestStation> OpenStationAsync(string? school = null, string code = "B1")
    {
        var station = new TestStation(Guid.NewGuid(), Guid.NewGuid(), school ?? NewSchool(), code);
        await Bus.Publish(new StationOpened(station.Id, station.VenueId, station.School, code, "Camera " + code, DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => InDbAsync(db => db.Stations.AnyAsync(s => s.StationId == station.Id)), what: "the station known");
        return station;
    }

    public async Task<Guid> CheckInAsync(TestStation station, string shootNumber, Guid? registrationId = null, DateTimeOffset? at = null, bool wait = true)
    {
        var registration = registrationId ?? Guid.NewGuid();
        await Bus.Publish(new StudentCheckedIn(registration, station.CampaignId, Guid.NewGuid(), station.Id.ToString(), shootNumber, at ?? DateTimeOffset.UtcNow, station.VenueId, station.School));
        if (wait)
        {
            await Eventually.TrueAsync(() => InDbAsync(db => db.CheckIns.AnyAsync(c => c.StationId == station.Id && c.ShootNumber == shootNumber)), what: $"check-in {shootNumber} recorded");
        }

        return registration;
    }

    public Task WithdrawAsync(Guid registrationId) =>
        Bus.Publish(new RegistrationWithdrawn(registrationId, Guid.NewGuid(), "CS", "left the university", DateTimeOffset.UtcNow));

    public HttpClient Operator(TestStation station) =>
        Service.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: station.School, venue: station.VenueId.ToString()));

    public HttpClient Admin(string school) => Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));

    public HttpClient Ops() => Service.CreateClient(TestTokens.For(CaptureRoles.Ops, school: null));

    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, TestStation station, string shootNumber, byte[] photo, int shot = 1, bool keyframe = false, string contentType = "image/jpeg")
    {
        var content = new ByteArrayContent(photo);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return client.PostAsync($"/api/capture/stations/{station.Id}/photos?shootNumber={shootNumber}&shot={shot}&keyframe={keyframe.ToString().ToLowerInvariant()}", content);
    }

    public async Task<PhotoView> UploadOkAsync(HttpClient client, TestStation station, string shootNumber, byte[] photo, int shot = 1, bool keyframe = false)
    {
        var response = await UploadAsync(client, station, shootNumber, photo, shot, keyframe);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is System.Net.HttpStatusCode.Created or System.Net.HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<PhotoView>(body, System.Text.Json.JsonSerializerOptions.Web)!;
    }

    public async Task<PhotoView> PhotoAsync(HttpClient client, Guid photoId) =>
        (await client.GetFromJsonAsync<PhotoView>($"/api/capture/photos/{photoId}"))!;

    public async Task<T> InDbAsync<T>(Func<CaptureIngestDbContext, Task<T>> work)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CaptureIngestDbContext>());
    }

    public sealed class Factory(IDictionary<string, string?> settings) : ServiceFactory<Program>("capturedb", usesObjectStorage: true)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

public sealed record TestStation(Guid Id, Guid VenueId, string School, string Code)
{
    public Guid CampaignId { get; } = Guid.NewGuid();
}
