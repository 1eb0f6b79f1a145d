using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Contracts.Payment;
using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using MassTransit;

namespace Capture.Benchmarks;

/// <summary>
/// WeChat Pay notifies through the gateway: 1,800 orders, each notified once and 10 % of them a second time (a
/// provider's duplicate delivery, signed anew, sent at the same instant as the first, so the two race), 2,000 notifies
/// at a steady open-loop rate. Notifies are signed by the provider simulator's platform key. Counts, from the bus,
/// the PaymentSucceeded events: exactly one per order (no double state change, no lost event).
/// </summary>
public sealed class PaymentNotifyBenchmark : IBenchmark
{
    private const int Orders = 1800;
    private const int Duplicates = 200;

    /// <summary>Orders notified before the measured ones (not counted), so the notify path is compiled and the pools warm.</summary>
    private static readonly int WarmupOrders = int.Parse(Environment.GetEnvironmentVariable("BENCHMARK_NOTIFY_WARMUP") ?? "400", CultureInfo.InvariantCulture);
    private static readonly int Rate = int.Parse(Environment.GetEnvironmentVariable("BENCHMARK_NOTIFY_RATE") ?? "100", CultureInfo.InvariantCulture);

    public string Name => "payment-notify";

    public string Description => $"{Orders + Duplicates} WeChat Pay notifies ({Duplicates} concurrent duplicates) through the gateway at {Rate}/s";

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var school = "10730";
        var campaign = Guid.NewGuid();
        var events = new ConcurrentDictionary<Guid, int>();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(context.System.Endpoints.Messaging));
            rabbit.ReceiveEndpoint("benchmark-payment-succeeded-" + campaign.ToString("N")[..8], e =>
            {
                e.AutoDelete = true;
                e.Handler<PaymentSucceeded>(c =>
                {
                    if (c.Message.CampaignId == campaign)
                    {
                        events.AddOrUpdate(c.Message.PaymentId, 1, (_, n) => n + 1);
                    }

                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync(cancellationToken);
        try
        {
            Console.WriteLine($"approving {Orders + WarmupOrders} students (fee 3000) through RabbitMQ...");
            await Parallel.ForEachAsync(Enumerable.Range(0, Orders + WarmupOrders), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
                await bus.Publish(new RegistrationApproved(Guid.NewGuid(), campaign, school, "law", "法学院", null, $"2026{i:D6}", "学生" + i, "**************123X", "硕士", "全日制", null, 3000, DateTimeOffset.UtcNow), ct));

            using var ops = context.Client(TestTokens.For(CaptureRoles.Ops, school: null));
            var orders = new List<JsonElement>();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (orders.Count < Orders + WarmupOrders)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"only {orders.Count} orders after 3 minutes");
                }

                await Task.Delay(500, cancellationToken);
                orders.Clear();
                for (var page = 1; ; page++)
                {
                    var result = await ops.GetFromJsonAsync<JsonElement>($"/api/payment/orders?campaignId={campaign}&page={page}&pageSize=200", cancellationToken);
                    orders.AddRange(result.GetProperty("items").EnumerateArray());
                    if (page * 200 >= result.GetProperty("total").GetInt32())
                    {
                        break;
                    }
                }
            }

            // The Payment service enrols with the simulator on first use; a QR order makes sure it has.
            using (var student = context.Client(TestTokens.For(CaptureRoles.Student, orders[0].GetProperty("studentNumber").GetString(), school)))
            {
                (await student.PostAsync($"/api/payment/me/orders/{orders[0].GetProperty("id").GetGuid()}/online", null, cancellationToken)).EnsureSuccessStatusCode();
            }

            using var simulator = new HttpClient { BaseAddress = context.System.ServiceUri("payment-provider") };
            var mchid = (await simulator.GetFromJsonAsync<JsonElement>("/sim/merchants", cancellationToken))[0].GetProperty("mchid").GetString();
            var outTradeNos = orders.Select(o => o.GetProperty("outTradeNo").GetString()!).ToList();
            using var gateway = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                BaseAddress = context.System.GatewayUri,
                Timeout = TimeSpan.FromSeconds(30),
            };
            if (WarmupOrders > 0)
            {
                Console.WriteLine($"warming up with {WarmupOrders} notifies...");
                var warm = await SignAsync(simulator, mchid!, outTradeNos.Skip(Orders).Select((no, i) => (i, no)).ToList(), cancellationToken);
                await SendAtRateAsync(gateway, warm, new ConcurrentBag<double>(), new ConcurrentDictionary<int, int>(), cancellationToken);
            }

            Console.WriteLine($"signing {Orders + Duplicates} notifies at the simulator...");
            // Duplicates go out in the same slot as their order's first notify.
            var plan = Enumerable.Range(0, Orders).Select(i => (Slot: i, No: outTradeNos[i]))
                .Concat(Enumerable.Range(0, Duplicates).Select(d => (Slot: d * (Orders / Duplicates), No: outTradeNos[d * (Orders / Duplicates)])))
                .ToList();
            var signed = await SignAsync(simulator, mchid!, plan, cancellationToken);
            var latencies = new ConcurrentBag<double>();
            var statuses = new ConcurrentDictionary<int, int>();
            var clock = Stopwatch.StartNew();
            await SendAtRateAsync(gateway, signed, latencies, statuses, cancellationToken);
            var elapsed = clock.Elapsed.TotalSeconds;
            var eventsDeadline = DateTime.UtcNow.AddMinutes(2);
            while (events.Count < Orders + WarmupOrders && DateTime.UtcNow < eventsDeadline)
            {
                await Task.Delay(200, cancellationToken);
            }

            await Task.Delay(2000, cancellationToken);
            var paid = (await ops.GetFromJsonAsync<JsonElement>($"/api/payment/orders?campaignId={campaign}&status=paid&pageSize=1", cancellationToken)).GetProperty("total").GetInt32();
            var sorted = latencies.Order().ToList();
            var sb = new StringBuilder();
            sb.AppendLine($"Machine: {BenchmarkContext.Machine()}").AppendLine();
            sb.AppendLine("| notifies | rate (/s) | throughput (/s) | p50 (ms) | p99 (ms) | max (ms) | answers | orders paid | PaymentSucceeded events (distinct / total) |");
            sb.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {sorted.Count} | {Rate} | {sorted.Count / elapsed:0} | {BenchmarkContext.Percentile(sorted, 50):0.0} | {BenchmarkContext.Percentile(sorted, 99):0.0} | {sorted[^1]:0.0} | {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))} | {paid} | {events.Count} / {events.Values.Sum()} |");
            sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Orders: {Orders} measured + {WarmupOrders} warm-up (paid and events count both). Double state changes: {events.Values.Count(v => v > 1)}; lost events: {Orders + WarmupOrders - events.Count}.");
            return sb.ToString();
        }
        finally
        {
            await bus.StopAsync(cancellationToken);
        }
    }

    private static async Task<List<(int Slot, string Headers, string Body)>> SignAsync(
        HttpClient simulator, string mchid, List<(int Slot, string No)> plan, CancellationToken cancellationToken)
    {
        var signed = new ConcurrentBag<(int Slot, string Headers, string Body)>();
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (p, ct) =>
        {
            using var response = await simulator.PostAsJsonAsync("/sim/notifications/sign", new { mchid, outTradeNo = p.No, amountFen = 3000 }, ct);
            var doc = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            signed.Add((p.Slot, doc.GetProperty("headers").GetRawText(), doc.GetProperty("body").GetString()!));
        });
        return [.. signed];
    }

    /// <summary>Open loop: slot k goes out at k / Rate seconds, all its notifies at once; latency counts from the slot's time.</summary>
    private static async Task SendAtRateAsync(
        HttpClient gateway, List<(int Slot, string Headers, string Body)> signed, ConcurrentBag<double> latencies, ConcurrentDictionary<int, int> statuses, CancellationToken cancellationToken)
    {
        var bySlot = signed.GroupBy(s => s.Slot).OrderBy(g => g.Key).ToList();
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>();
        for (var k = 0; k < bySlot.Count; k++)
        {
            var due = TimeSpan.FromSeconds(k / (double)Rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            foreach (var n in bySlot[k])
            {
                tasks.Add(SendAsync(gateway, n.Headers, n.Body, due, clock, latencies, statuses, cancellationToken));
            }
        }

        await Task.WhenAll(tasks);
    }

    private static async Task SendAsync(
        HttpClient gateway, string headersJson, string body, TimeSpan due, Stopwatch clock, ConcurrentBag<double> latencies, ConcurrentDictionary<int, int> statuses, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payment/notify/wechatpay") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(headersJson)!)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        int status;
        try
        {
            using var response = await gateway.SendAsync(request, ct);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            status = 0;
        }

        latencies.Add((clock.Elapsed - due).TotalMilliseconds);
        statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
    }
}
