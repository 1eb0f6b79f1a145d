using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Capture.Benchmarks;

/// <summary>
/// Capture-day check-ins through the gateway at a steady open-loop rate (each request is sent at its scheduled time
/// whether or not earlier ones finished; latency counts from the scheduled time, so queueing is not hidden), next to a
/// bare ASP.NET Core endpoint in this process at the same rate. Students check in by student card (studentNumber):
/// capture codes are verified by the Registration service, which meets Scheduling at integration.
/// </summary>
public sealed class CheckInBenchmark : IBenchmark
{
    private const int Rate = 200;
    private const int Seconds = 25;
    private const int Warmup = 400;

    /// <summary>15 s of check-ins right before the measured ones, so the services' code is fully compiled (tiered JIT) and their pools are warm: a capture day runs for hours.</summary>
    private static readonly int CheckInWarmup = int.Parse(Environment.GetEnvironmentVariable("BENCHMARK_CHECKIN_WARMUP") ?? "3000", CultureInfo.InvariantCulture);
    private const int Stations = 4;
    private static readonly double WindowSeconds = double.Parse(Environment.GetEnvironmentVariable("BENCHMARK_WINDOW_SECONDS") ?? "5", CultureInfo.InvariantCulture);

    public string Name => "check-in";

    public string Description => $"check-ins through the gateway at {Rate}/s for {Seconds} s, next to a bare ASP.NET Core endpoint";

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var school = "10385";
        var campaign = Guid.NewGuid();
        var total = Rate * Seconds + CheckInWarmup;
        using var admin = context.Client(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        var campus = await PostAsync(admin, "/api/scheduling/campuses", new { code = "bench", name = "基准校区" });
        var venue = await PostAsync(admin, "/api/scheduling/venues", new { campusId = campus.GetProperty("id").GetGuid(), code = "bench-" + campaign.ToString("N")[..6], name = "文汇楼", building = "文汇楼一栋", room = "1403" });
        var venueId = venue.GetProperty("id").GetGuid();
        var stations = new List<Guid>();
        for (var i = 1; i <= Stations; i++)
        {
            stations.Add((await PostAsync(admin, $"/api/scheduling/venues/{venueId}/stations", new { code = $"B{i}", name = $"Camera {i}", throughputPerHour = 1000 })).GetProperty("id").GetGuid());
        }

        // The campaign is Registration's: Scheduling plans it once CampaignCreated has arrived.
        var announce = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(context.System.Endpoints.Messaging)));
        await announce.StartAsync(cancellationToken);
        await announce.Publish(new CampaignCreated(campaign, school, "2025届", DateTimeOffset.UtcNow), cancellationToken);
        await announce.StopAsync(cancellationToken);
        JsonElement day = default;
        for (var attempt = 0; ; attempt++)
        {
            using var response = await admin.PostAsJsonAsync("/api/scheduling/capture-days", new { campaignId = campaign, campusId = campus.GetProperty("id").GetGuid(), date = "2030-10-25" }, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                day = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                break;
            }

            if (attempt > 100)
            {
                throw new TimeoutException("CampaignCreated did not reach Scheduling");
            }

            await Task.Delay(200, cancellationToken);
        }

        var session = (await PostAsync(admin, "/api/scheduling/sessions", new { captureDayId = day.GetProperty("id").GetGuid(), venueId, start = "08:00", end = "20:00" })).GetProperty("id").GetGuid();

        Console.WriteLine($"approving {total} students through RabbitMQ...");
        var numbers = Enumerable.Range(0, total).Select(i => $"2025{i:D6}").ToList();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(context.System.Endpoints.Messaging)));
        await bus.StartAsync(cancellationToken);
        try
        {
            await Parallel.ForEachAsync(numbers, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (n, ct) =>
                await bus.Publish(new RegistrationApproved(Guid.NewGuid(), campaign, school, "law", "法学院", "法学2101", n, "学生" + n, "**************123X", "硕士", "全日制", null, 0, DateTimeOffset.UtcNow), ct));
        }
        finally
        {
            await bus.StopAsync(cancellationToken);
        }

        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var demand = await admin.GetFromJsonAsync<JsonElement>($"/api/scheduling/campaigns/{campaign}/demand", cancellationToken);
            var count = demand.EnumerateArray().Sum(d => d.GetProperty("headcount").GetInt32());
            if (count == total)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {count} of {total} approvals arrived");
            }

            await Task.Delay(500, cancellationToken);
        }

        await PostAsync(admin, $"/api/scheduling/campaigns/{campaign}/allocations", new { sessionId = session, collegeCode = "law", expectedHeadcount = total });

        await using var bare = await BareEndpoint.StartAsync();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var token = TestTokens.For(CaptureRoles.StationOperator, subject: "bench-operator", school: null, venue: venueId.ToString());
        var gateway = context.System.GatewayUri;

        HttpRequestMessage CheckIn(int i) =>
            new(HttpMethod.Post, new Uri(gateway, $"/api/scheduling/stations/{stations[i % Stations]}/check-ins"))
            {
                Headers = { { "Authorization", "Bearer " + token } },
                Content = JsonContent.Create(new { studentNumber = numbers[i], sessionId = session }),
            };
        HttpRequestMessage Bare(int i) =>
            new(HttpMethod.Post, new Uri(bare.Address, "/check-in"))
            {
                Headers = { { "Authorization", "Bearer " + token } },
                Content = JsonContent.Create(new { studentNumber = numbers[i], sessionId = session }),
            };

        Console.WriteLine($"bare endpoint: {Warmup} warm-up requests, then {Rate}/s for {Seconds} s...");
        await RunAsync(http, Enumerable.Range(0, Warmup).Select(Bare).ToList(), Rate, cancellationToken);
        var bareResult = await RunAsync(http, Enumerable.Range(Warmup, Rate * Seconds).Select(Bare).ToList(), Rate, cancellationToken);

        Console.WriteLine($"check-ins: {CheckInWarmup} warm-up check-ins, then measuring {Rate}/s for {Seconds} s...");
        await RunAsync(http, Enumerable.Range(0, CheckInWarmup).Select(CheckIn).ToList(), Rate, cancellationToken);
        Console.WriteLine("measuring check-ins...");
        var gatewayResult = await RunAsync(http, Enumerable.Range(CheckInWarmup, Rate * Seconds).Select(CheckIn).ToList(), Rate, cancellationToken);
        var distinct = gatewayResult.Bodies.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("shootNumber").GetString()).Distinct().Count();

        var markdown = new StringBuilder();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkContext.Machine()}. Open loop, {Rate} requests/s for {Seconds} s after {Warmup} warm-up requests (bare) and {CheckInWarmup} warm-up check-ins, one HttpClient in the benchmark process, {Stations} stations, check-in by student card.");
        markdown.AppendLine();
        markdown.AppendLine("| target | requests | ok | errors | throughput (/s) | p50 (ms) | p99 (ms) | max (ms) |");
        markdown.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        markdown.AppendLine(bareResult.Row("bare ASP.NET Core endpoint (same process)"));
        markdown.AppendLine(gatewayResult.Row("check-in through the gateway"));
        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"p99 (ms) of each {WindowSeconds} s of the check-ins: {gatewayResult.Windows}; of the bare endpoint: {bareResult.Windows}.");
        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Distinct shoot numbers among the {gatewayResult.Ok} successful check-ins: {distinct}.");
        return markdown.ToString();
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<LoadResult> RunAsync(HttpClient http, List<HttpRequestMessage> requests, int rate, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<(double At, double Ms)>();
        var bodies = new ConcurrentBag<string>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var scheduled = TimeSpan.FromSeconds((double)i / rate);
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, ct);
            }

            var request = requests[i];
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await http.SendAsync(request, ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    latencies.Add((scheduled.TotalSeconds, (clock.Elapsed - scheduled).TotalMilliseconds));
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        bodies.Add(body);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                finally
                {
                    request.Dispose();
                }
            }, ct));
        }

        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        var windows = latencies.GroupBy(l => (int)(l.At / WindowSeconds))
            .OrderBy(g => g.Key)
            .Select(g => BenchmarkContext.Percentile([.. g.Select(l => l.Ms).Order()], 99))
            .ToList();
        return new LoadResult(requests.Count, bodies.Count, errors, requests.Count / elapsed, [.. latencies.Select(l => l.Ms).Order()], [.. bodies], windows);
    }

    private sealed record LoadResult(int Requests, int Ok, int Errors, double Throughput, List<double> Sorted, List<string> Bodies, List<double> WindowP99)
    {
        public string Windows => string.Join(" / ", WindowP99.Select(p => p.ToString("F1", CultureInfo.InvariantCulture)));

        public string Row(string target) => string.Create(CultureInfo.InvariantCulture,
            $"| {target} | {Requests} | {Ok} | {Errors} | {Throughput:F0} | {BenchmarkContext.Percentile(Sorted, 50):F1} | {BenchmarkContext.Percentile(Sorted, 99):F1} | {(Sorted.Count == 0 ? double.NaN : Sorted[^1]):F1} |");
    }

    /// <summary>The floor: a minimal ASP.NET Core endpoint that reads the same JSON and answers a shoot-number-sized JSON body.</summary>
    private sealed class BareEndpoint : IAsyncDisposable
    {
        private WebApplication app = null!;

        public Uri Address { get; private set; } = null!;

        public static async Task<BareEndpoint> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var endpoint = new BareEndpoint { app = builder.Build() };
            var counter = 0;
            endpoint.app.MapPost("/check-in", async (HttpRequest request) =>
            {
                var body = await request.ReadFromJsonAsync<JsonElement>();
                var n = Interlocked.Increment(ref counter);
                return Results.Json(new { shootNumber = $"B1-{n:D4}", studentNumber = body.GetProperty("studentNumber").GetString() }, statusCode: 201);
            });
            await endpoint.app.StartAsync();
            endpoint.Address = new Uri(endpoint.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return endpoint;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
