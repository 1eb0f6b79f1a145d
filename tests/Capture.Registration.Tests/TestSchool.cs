using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Registration.Tests;

/// <summary>A school of its own (random school code) on the service under test, with clients for each role.</summary>
public sealed class TestSchool(ServiceFactory<Program> factory, Func<object, Task>? publish = null)
{
    private Guid? venue;

    public string Code { get; } = RosterData.SchoolCode();

    public HttpClient Admin() => factory.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: Code));

    public HttpClient Integration() => factory.CreateClient(TestTokens.For(CaptureRoles.IntegrationClient, "sis", school: Code));

    public HttpClient CollegeStaff(string college) => factory.CreateClient(TestTokens.For(CaptureRoles.CollegeStaff, school: Code, college: college));

    public HttpClient Student(string studentNumber) => factory.CreateClient(TestTokens.For(CaptureRoles.Student, studentNumber, school: Code));

    /// <summary>An operator of a venue Registration has never heard of (no StationOpened for it).</summary>
    public HttpClient UnknownVenueStation() => factory.CreateClient(TestTokens.For(CaptureRoles.StationOperator, venue: Guid.NewGuid().ToString()));

    /// <summary>An operator of a venue of this school: Scheduling's StationOpened for it is published on the real bus once, and awaited.</summary>
    public async Task<HttpClient> StationAsync()
    {
        venue ??= await OpenVenueAsync();
        return factory.CreateClient(TestTokens.For(CaptureRoles.StationOperator, venue: venue.Value.ToString()));
    }

    /// <summary>Announces a new venue of this school as Scheduling does (StationOpened) and waits until Registration has it.</summary>
    /// <summary>
    /// The campaign's correction deadline passes now (moved to a second ago in the database), instead of the test
    /// sleeping until a deadline set a few seconds ahead comes.
    /// </summary>
    public async Task PassCorrectionDeadlineAsync(Guid campaignId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var past = DateTimeOffset.UtcNow.AddSeconds(-1);
        var changed = await db.Campaigns.Where(c => c.Id == campaignId).ExecuteUpdateAsync(u => u.SetProperty(c => c.CorrectionDeadline, past));
        if (changed != 1)
        {
            throw new InvalidOperationException($"No campaign {campaignId} to move the correction deadline of.");
        }
    }

    public async Task<Guid> OpenVenueAsync()
    {
        var id = Guid.NewGuid();
        await (publish ?? throw new InvalidOperationException("This school was made without a bus."))(
            new Capture.Contracts.Scheduling.StationOpened(Guid.NewGuid(), id, Code, "B1", "Camera B1", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().Venues.AnyAsync(v => v.VenueId == id);
        }, TimeSpan.FromSeconds(30), "StationOpened to reach Registration");
        return id;
    }

    public async Task<Guid> CreateCampaignAsync(object? terms = null)
    {
        using var admin = Admin();
        using var response = await admin.PostAsJsonAsync("/api/registration/campaigns", terms ?? RosterData.Campaign());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/campaigns/{id}/open", null)).EnsureSuccessStatusCode();
        return id;
    }

    public async Task<HttpResponseMessage> ImportAsync(Guid campaignId, IEnumerable<RosterData.Row> rows, bool onlyValidRows = false)
    {
        using var client = Integration();
        return await client.PostAsJsonAsync($"/api/registration/campaigns/{campaignId}/roster", new { students = rows.Select(RosterData.Json), onlyValidRows });
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid campaignId, byte[] content, string fileName, bool onlyValidRows = false)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync($"/api/registration/campaigns/{campaignId}/roster/file?onlyValidRows={onlyValidRows.ToString().ToLowerInvariant()}", form);
    }

    public async Task<JsonElement> RegistrationAsync(Guid campaignId, string studentNumber)
    {
        using var admin = Admin();
        return await admin.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaignId}/students/{studentNumber}");
    }

    public async Task<Guid> RegistrationIdAsync(Guid campaignId, string studentNumber) =>
        (await RegistrationAsync(campaignId, studentNumber)).GetProperty("id").GetGuid();

    /// <summary>The JSON bodies of this registration's outbox events of one type (what other services will receive).</summary>
    public async Task<List<System.Text.Json.JsonElement>> OutboxBodiesAsync(string messageType, Guid registrationId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var rows = await db.OutboxMessages.Where(m => m.MessageType == "Capture.Contracts.Registration." + messageType).Select(m => m.Body).ToListAsync();
        return rows.Where(b => b.Contains(registrationId.ToString(), StringComparison.OrdinalIgnoreCase))
            .Select(b => System.Text.Json.JsonDocument.Parse(b).RootElement.Clone()).ToList();
    }

    public async Task<int> OutboxCountAsync(string messageType, Guid? registrationId = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var rows = await db.OutboxMessages.Where(m => m.MessageType == "Capture.Contracts.Registration." + messageType).Select(m => m.Body).ToListAsync();
        return registrationId is null ? rows.Count : rows.Count(b => b.Contains(registrationId.Value.ToString(), StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// One service instance (own database and virtual host) shared by the tests of a class, and a bus on that virtual host
/// for the events other services would publish; each test makes its own school.
/// </summary>
public sealed class RegistrationServiceFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim busStart = new(1, 1);
    private IBusControl? bus;

    public ServiceFactory<Program> Factory { get; } = new("registrationdb");

    public Task InitializeAsync() => Factory.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (bus is not null)
        {
            await bus.StopAsync();
        }

        await Factory.DisposeAsync();
    }

    public TestSchool NewSchool() => new(Factory, PublishAsync);

    /// <summary>Publishes an event on the service's virtual host through the real broker, as another service would.</summary>
    public async Task PublishAsync(object message)
    {
        using (Factory.CreateClient())
        {
            // starts the service, so its queues are bound before anything is published
        }

        await busStart.WaitAsync();
        try
        {
            if (bus is null)
            {
                var started = Bus.Factory.CreateUsingRabbitMq(r => r.Host(new Uri(Factory.Endpoints.MessagingIn(Factory.VirtualHost))));
                await started.StartAsync();
                bus = started;
            }
        }
        finally
        {
            busStart.Release();
        }

        await bus.Publish(message);
    }
}
