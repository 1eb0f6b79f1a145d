using System.Net.Http.Json;
using System.Security.Cryptography;
using Capture.Contracts.CaptureIngest;
using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Storage;
using Capture.Testing;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Capture.Verification.Tests;

/// <summary>
/// Verification in-process on its own database and RabbitMQ virtual host of the real servers, with the real S3 server,
/// and a MassTransit bus on the same virtual host that publishes what Registration and CaptureIngest would. With
/// <see cref="Clock"/> set, the service's clock is a fake that tests move.
/// </summary>
public class VerificationApp : IAsyncLifetime
{
    private static int schools;

    public VerificationApp()
        : this(null, new Dictionary<string, string?>())
    {
    }

    protected VerificationApp(FakeTimeProvider? clock, IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        Clock = clock;
        Service = new Factory(clock, settings, services);
    }

    public FakeTimeProvider? Clock { get; }

    public Factory Service { get; }

    public IBusControl Bus { get; private set; } = null!;

    public DateTimeOffset Now => Clock?.GetUtcNow() ?? DateTimeOffset.UtcNow;

    public async Task InitializeAsync()
    {
        await Service.InitializeAsync();
        using (Service.CreateClient())
        {
            // starts the service: migrations applied, consumers bound, buckets made
        }

        Bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(Service.Endpoints.MessagingIn(Service.VirtualHost))));
        await Bus.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Bus.StopAsync();
        await Service.DisposeAsync();
    }

    public static string NewSchool() => "9" + Interlocked.Increment(ref schools).ToString("D2") + Random.Shared.Next(10, 99);

    /// <summary>A valid resident ID number (GB 11643-1999 check character) made from a running number.</summary>
    private static int idNumbers = Random.Shared.Next(0, 1_000_000);

    /// <summary>
    /// A valid mainland ID number, different from every other this test run makes: an export names files by ID number,
    /// and two students of one batch with the same number are both left out as a duplicate-file-name problem (with only
    /// 900 numbers to draw from, that made an export test fail about once in ten runs).
    /// </summary>
    public static string NewIdNumber()
    {
        var n = Interlocked.Increment(ref idNumbers);
        var born = new DateOnly(1990, 1, 1).AddDays(n / 900 % 7300);
        var body = "110105" + born.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + (100 + n % 900).ToString(System.Globalization.CultureInfo.InvariantCulture);
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }

    /// <summary>A student approved in Registration (as its event says), known to the service once this returns.</summary>
    public async Task<TestStudent> ApproveAsync(string? school = null, string college = "law", Guid? campaign = null, int? windowDays = 40, bool wait = true)
    {
        var student = new TestStudent(Guid.NewGuid(), campaign ?? Guid.NewGuid(), school ?? NewSchool(), college, "2202" + (10000 + Interlocked.Increment(ref idNumbers) % 90000).ToString(System.Globalization.CultureInfo.InvariantCulture), "王" + Random.Shared.Next(100, 999), NewIdNumber());
        await Bus.Publish(new RegistrationApproved(
            student.RegistrationId, student.CampaignId, student.School, college, college + "学院", null, student.StudentNumber, student.Name,
            PersonalData.MaskIdNumber(student.IdNumber), "硕士", "全日制", null, 0, Now, "居民身份证", student.IdNumber, windowDays));
        if (wait)
        {
            await Eventually.TrueAsync(() => InDbAsync(db => db.Tasks.AnyAsync(t => t.RegistrationId == student.RegistrationId && t.StudentNumber != null)), what: "the approval known");
        }

        return student;
    }

    /// <summary>Stores a standardised JPEG in <c>photos-standardized</c> and publishes PhotoAccepted; returns once the task shows this photo.</summary>
    public async Task<AcceptedPhoto> AcceptPhotoAsync(TestStudent student, byte[]? jpeg = null, DateTimeOffset? at = null, bool store = true)
    {
        jpeg ??= TestPhotos.Standard();
        var photoId = Guid.NewGuid();
        var key = $"{student.School}/{student.RegistrationId}/{photoId}.jpg";
        if (store)
        {
            var storage = Service.Services.GetRequiredService<IObjectStorage>();
            using var content = new MemoryStream(jpeg);
            await storage.PutAsync("photos-standardized", key, content, jpeg.Length, "image/jpeg");
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(jpeg));
        await Bus.Publish(new PhotoAccepted(photoId, student.RegistrationId, student.CampaignId, student.School, Guid.NewGuid().ToString(), "B1-0001",
            key, sha, true, [], "auto", at ?? Now));
        await Eventually.TrueAsync(() => InDbAsync(db => db.Tasks.AnyAsync(t => t.RegistrationId == student.RegistrationId && t.PhotoId == photoId)), what: "the photo's task open");
        return new AcceptedPhoto(photoId, key, sha, jpeg);
    }

    public HttpClient Student(TestStudent s) => Service.CreateClient(TestTokens.For(CaptureRoles.Student, subject: s.StudentNumber, school: s.School));

    public HttpClient Admin(string school) => Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));

    public HttpClient CollegeStaff(string school, string college) => Service.CreateClient(TestTokens.For(CaptureRoles.CollegeStaff, school: school, college: college));

    public async Task<T> InDbAsync<T>(Func<VerificationDbContext, Task<T>> work)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<VerificationDbContext>());
    }

    public Task<VerificationTask> TaskAsync(Guid registrationId) =>
        InDbAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.RegistrationId == registrationId));

    public Task<int> OutboxCountAsync(string messageType, Guid registrationId) =>
        InDbAsync(async db => (await db.OutboxMessages.Where(m => m.MessageType == "Capture.Contracts.Verification." + messageType).Select(m => m.Body).ToListAsync())
            .Count(b => b.Contains(registrationId.ToString(), StringComparison.OrdinalIgnoreCase)));

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, System.Text.Json.JsonSerializerOptions.Web)!;
    }

    public sealed class Factory(FakeTimeProvider? clock, IDictionary<string, string?> settings, Action<IServiceCollection>? services = null) : ServiceFactory<Program>("verificationdb", usesObjectStorage: true)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (clock is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
            }

            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        }
    }
}

public sealed record TestStudent(Guid RegistrationId, Guid CampaignId, string School, string College, string StudentNumber, string Name, string IdNumber);

public sealed record AcceptedPhoto(Guid PhotoId, string Key, string Sha256, byte[] Jpeg);

/// <summary>The app with a fake clock (starting now) that only tests move.</summary>
public sealed class ClockedVerificationApp() : VerificationApp(
    new FakeTimeProvider(DateTimeOffset.UtcNow),
    new Dictionary<string, string?> { ["Verification:SweepInterval"] = "1.00:00:00" });
