using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;

namespace Capture.Benchmarks;

/// <summary>
/// A university pushes its 20,000-student roster in one REST call through the gateway: time per import (three fresh
/// campaigns), the idempotent re-import, how long the outbox takes to publish the StudentRegistered events, and the
/// registration service's peak resident memory.
/// </summary>
public sealed class RosterImportBenchmark : IBenchmark
{
    private const int Rows = 20_000;
    private const int Runs = 3;

    public string Name => "roster-import";

    public string Description => $"import a {Rows:N0}-row roster through the gateway (goal: under 10 s), re-import it, peak memory of registration";

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var pid = context.ServicePid("registration");
        var startPeak = BenchmarkContext.PeakResidentMegabytes(pid);
        var school = RosterData.SchoolCode();
        using var admin = context.Client(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        using var sis = context.Client(TestTokens.For(CaptureRoles.IntegrationClient, "sis", school: school));
        using var ops = context.Client(TestTokens.For(CaptureRoles.Ops));

        // Warm-up: one small import so JIT and connection pools are not measured.
        var warm = await CampaignAsync(admin, cancellationToken);
        (await sis.PostAsJsonAsync($"/api/registration/campaigns/{warm}/roster", new { students = RosterData.Rows(100).Select(RosterData.Json) }, cancellationToken)).EnsureSuccessStatusCode();
        await DrainOutboxAsync(ops, cancellationToken);

        var imports = new List<double>();
        var reimports = new List<double>();
        var drains = new List<double>();
        long bodyBytes = 0;
        for (var run = 0; run < Runs; run++)
        {
            var campaign = await CampaignAsync(admin, cancellationToken);
            var body = JsonSerializer.SerializeToUtf8Bytes(new { students = RosterData.Rows(Rows).Select(RosterData.Json) }, JsonSerializerOptions.Web);
            bodyBytes = body.Length;

            var watch = BenchmarkContext.Start();
            using (var response = await sis.PostAsync($"/api/registration/campaigns/{campaign}/roster", Json(body), cancellationToken))
            {
                imports.Add(watch.Elapsed.TotalSeconds);
                response.EnsureSuccessStatusCode();
                var created = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("created").GetInt32();
                if (created != Rows)
                {
                    throw new InvalidOperationException($"Expected {Rows} created, got {created}.");
                }
            }

            await DrainOutboxAsync(ops, cancellationToken);
            drains.Add(watch.Elapsed.TotalSeconds);

            watch.Restart();
            using (var again = await sis.PostAsync($"/api/registration/campaigns/{campaign}/roster", Json(body), cancellationToken))
            {
                reimports.Add(watch.Elapsed.TotalSeconds);
                again.EnsureSuccessStatusCode();
            }
        }

        var peak = BenchmarkContext.PeakResidentMegabytes(pid);
        string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
        var markdown = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkContext.Machine()}. Build: Release. Whole system started by the AppHost library; requests through the gateway.")
            .AppendLine()
            .AppendLine("| measure | run 1 | run 2 | run 3 | median |")
            .AppendLine("| --- | --- | --- | --- | --- |")
            .AppendLine(CultureInfo.InvariantCulture, $"| import {Rows:N0} new students, one call (s) | {string.Join(" | ", imports.Select(F))} | {F(Median(imports))} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| … until all {Rows:N0} StudentRegistered events are published (s) | {string.Join(" | ", drains.Select(F))} | {F(Median(drains))} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| re-import the same roster, nothing changes (s) | {string.Join(" | ", reimports.Select(F))} | {F(Median(reimports))} |")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Request body: {bodyBytes / 1024.0 / 1024.0:F1} MB of JSON. Registration service peak resident memory (VmHWM): {startPeak:F0} MB after start-up and warm-up, {peak:F0} MB after the {Runs} imports and re-imports.")
            .ToString();
        return markdown;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<Guid> CampaignAsync(HttpClient admin, CancellationToken ct)
    {
        using var created = await admin.PostAsJsonAsync("/api/registration/campaigns", RosterData.Campaign(), ct);
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/campaigns/{id}/open", null, ct)).EnsureSuccessStatusCode();
        return id;
    }

    private static Task DrainOutboxAsync(HttpClient ops, CancellationToken ct) =>
        Eventually.TrueAsync(
            async () => (await ops.GetFromJsonAsync<JsonElement>("/api/registration/ops/outbox", ct)).GetProperty("pending").GetInt32() == 0,
            TimeSpan.FromMinutes(5),
            "the outbox to drain");
}
