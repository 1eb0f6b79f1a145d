using System.Net.Http.Json;
using Capture.ServiceDefaults.Storage;
using Capture.Testing;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Capture.Verification.Tests;

/// <summary>
/// Export batches with several instances: building a batch is exclusive (a lease per batch), and a batch a crashed
/// instance left is finished by the periodic sweep of a survivor. The service here sweeps every half second.
/// </summary>
public sealed class ExportInstanceTests(ExportSweepVerificationApp app) : IClassFixture<ExportSweepVerificationApp>
{
    private async Task<(string School, Guid Campaign)> ConfirmedStudentsAsync(int count, bool oneMissingPhoto)
    {
        var school = VerificationApp.NewSchool();
        var campaign = Guid.NewGuid();
        for (var i = 0; i < count + (oneMissingPhoto ? 1 : 0); i++)
        {
            var s = await app.ApproveAsync(school, "law", campaign);
            await app.AcceptPhotoAsync(s, store: i < count);
            using var client = app.Student(s);
            var response = await client.PostAsJsonAsync($"/api/verification/me/tasks/{s.RegistrationId}/confirm", new { });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        return (school, campaign);
    }

    /// <summary>A batch as the API (or a crashed instance) leaves it in the database, without queueing it on this instance.</summary>
    private async Task<ExportBatch> InsertBatchAsync(string school, Guid campaign, bool building, DateTimeOffset requestedAt)
    {
        var batch = new ExportBatch { CampaignId = campaign, SchoolCode = school, Naming = ExportNaming.IdNumber, RequestedBy = "test", RequestedAt = requestedAt };
        if (building)
        {
            batch.Start();
        }

        await app.InDbAsync(async db =>
        {
            db.Exports.Add(batch);
            return await db.SaveChangesAsync();
        });
        return batch;
    }

    private Task<ExportBatch> BatchAsync(Guid id) => app.InDbAsync(db => db.Exports.AsNoTracking().SingleAsync(b => b.Id == id));

    private Task<int> ProblemRowsAsync(Guid id) => app.InDbAsync(db => db.ExportProblems.CountAsync(p => p.BatchId == id));

    [Fact]
    public async Task Two_builders_at_once_build_a_batch_once()
    {
        var (school, campaign) = await ConfirmedStudentsAsync(4, oneMissingPhoto: true);
        // Requested now: the service's own worker (its sweep finds the batch) waits the 2 s debounce, the two builders
        // don't; it is a third contender all the same, and every upload (its own too) is counted.
        var batch = await InsertBatchAsync(school, campaign, building: false, DateTimeOffset.UtcNow);
        var storage = (CountingStorage)app.Service.Services.GetRequiredService<IObjectStorage>();
        var one = ActivatorUtilities.CreateInstance<ExportBuilder>(app.Service.Services);
        var two = ActivatorUtilities.CreateInstance<ExportBuilder>(app.Service.Services);

        var built = await Task.WhenAll(Task.Run(() => one.BuildAsync(batch.Id, CancellationToken.None)), Task.Run(() => two.BuildAsync(batch.Id, CancellationToken.None)));

        Assert.True(built.Count(b => b) <= 1, "both builders built the batch");
        await Eventually.TrueAsync(async () => (await BatchAsync(batch.Id)).State == ExportState.Ready, what: "the batch ready");
        var ready = await BatchAsync(batch.Id);
        Assert.Equal(ExportState.Ready, ready.State);
        Assert.Equal((4, 1), (ready.PhotoCount, ready.ProblemCount));
        Assert.Equal(1, storage.Puts(ExportBuilder.Bucket, ready.ObjectKey!));
        Assert.Equal(1, await ProblemRowsAsync(batch.Id));
        Assert.Equal(1, await app.OutboxCountAsync("ExportBatchReady", batch.Id));

        // Later builders (a third instance, the service's own worker after its debounce) find it ready and leave it.
        Assert.False(await one.BuildAsync(batch.Id, CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, storage.Puts(ExportBuilder.Bucket, ready.ObjectKey!));
        var after = await BatchAsync(batch.Id);
        Assert.Equal((ExportState.Ready, ready.FinishedAt), (after.State, after.FinishedAt));
        Assert.Equal(1, await app.OutboxCountAsync("ExportBatchReady", batch.Id));
    }

    [Fact]
    public async Task A_batch_left_building_is_finished_by_the_sweep_once_no_instance_holds_it()
    {
        var (school, campaign) = await ConfirmedStudentsAsync(2, oneMissingPhoto: false);
        var batchId = Guid.CreateVersion7();
        var connectionString = await app.InDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));

        // Another instance is building it: its session holds the batch's lock (taken before the row exists, so the
        // service's sweep cannot get there first).
        var other = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await other.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", other) { Parameters = { new() { Value = ExportLease.KeyOf(batchId) } } })
        {
            Assert.Equal(true, await take.ExecuteScalarAsync());
        }

        var batch = new ExportBatch { Id = batchId, CampaignId = campaign, SchoolCode = school, Naming = ExportNaming.IdNumber, RequestedBy = "test", RequestedAt = DateTimeOffset.UtcNow.AddMinutes(-10) };
        batch.Start();
        await app.InDbAsync(async db =>
        {
            db.Exports.Add(batch);
            return await db.SaveChangesAsync();
        });

        // Several sweeps (every 0.5 s) pass: the held batch is left alone, and a builder asked directly skips it too.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(ExportState.Building, (await BatchAsync(batchId)).State);
        Assert.False(await app.Service.Services.GetRequiredService<ExportBuilder>().BuildAsync(batchId, CancellationToken.None));
        Assert.Equal(ExportState.Building, (await BatchAsync(batchId)).State);

        // That instance dies: its session ends without unlocking, and a sweep of this (surviving) instance finishes the batch.
        await other.DisposeAsync();
        var ready = await Eventually.GetAsync(() => BatchAsync(batchId), b => b.State is ExportState.Ready or ExportState.Failed, what: "the swept batch built");
        Assert.True(ready.State == ExportState.Ready, $"the batch is {ready.State}: {ready.Failure}");
        Assert.Equal(2, ready.PhotoCount);
        Assert.Equal(1, await app.OutboxCountAsync("ExportBatchReady", batchId));
    }

    [Fact]
    public async Task A_build_stopped_by_the_store_out_of_reach_is_built_by_a_later_sweep()
    {
        var (school, campaign) = await ConfirmedStudentsAsync(2, oneMissingPhoto: false);
        var storage = (CountingStorage)app.Service.Services.GetRequiredService<IObjectStorage>();
        storage.RefuseUploads(ExportBuilder.Bucket, 2);
        try
        {
            var batch = await InsertBatchAsync(school, campaign, building: false, DateTimeOffset.UtcNow.AddMinutes(-1));

            // The first two attempts cannot store the zip: the batch stays building, saying why, and a sweep tries again.
            var ready = await Eventually.GetAsync(() => BatchAsync(batch.Id), b => b.State is ExportState.Ready or ExportState.Failed, TimeSpan.FromSeconds(60), "the batch built");
            Assert.True(ready.State == ExportState.Ready, $"the batch is {ready.State}: {ready.Failure}");
            Assert.Equal((3, 2, (string?)null), (ready.Attempts, ready.PhotoCount, ready.Failure));
            Assert.Equal(1, storage.Puts(ExportBuilder.Bucket, ready.ObjectKey!));
            Assert.Equal(1, await app.OutboxCountAsync("ExportBatchReady", batch.Id));
        }
        finally
        {
            storage.RefuseUploads(ExportBuilder.Bucket, 0);
        }
    }

    [Fact]
    public async Task A_store_out_of_reach_for_every_attempt_fails_the_batch_after_the_last_and_says_why()
    {
        var (school, campaign) = await ConfirmedStudentsAsync(1, oneMissingPhoto: false);
        var storage = (CountingStorage)app.Service.Services.GetRequiredService<IObjectStorage>();
        storage.RefuseUploads(ExportBuilder.Bucket, int.MaxValue);
        try
        {
            var batch = await InsertBatchAsync(school, campaign, building: false, DateTimeOffset.UtcNow.AddMinutes(-1));
            var failed = await Eventually.GetAsync(() => BatchAsync(batch.Id), b => b.State is ExportState.Ready or ExportState.Failed, TimeSpan.FromSeconds(60), "the batch given up");
            Assert.Equal((ExportState.Failed, 3), (failed.State, failed.Attempts));
            Assert.Contains("out of reach", failed.Failure);
            Assert.Equal(0, await app.OutboxCountAsync("ExportBatchReady", batch.Id));

            // The school's admin sees the same through the API: failed, after how many attempts, and why.
            using var admin = app.Admin(school);
            var view = await VerificationApp.ReadAsync<Capture.Verification.Apis.ExportsApi.ExportView>(await admin.GetAsync($"/api/verification/exports/{batch.Id}"));
            Assert.Equal(("failed", 3), (view.State, view.Attempts));
            Assert.Contains("out of reach", view.Failure);

            // Given up for good: later sweeps leave it failed.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Equal((ExportState.Failed, 3), ((await BatchAsync(batch.Id)).State, (await BatchAsync(batch.Id)).Attempts));
        }
        finally
        {
            storage.RefuseUploads(ExportBuilder.Bucket, 0);
        }
    }
}

/// <summary>The app with a short export sweep (half a second), as several instances would rely on, and 3 attempts per batch.</summary>
public sealed class ExportSweepVerificationApp() : VerificationApp(
    null,
    new Dictionary<string, string?> { ["Verification:ExportSweepInterval"] = "00:00:00.500", ["Verification:ExportMaxAttempts"] = "3" },
    services =>
    {
        var store = services.Last(d => d.ServiceType == typeof(IObjectStorage));
        services.Remove(store);
        services.AddSingleton<IObjectStorage>(sp => new CountingStorage((IObjectStorage)store.ImplementationFactory!(sp)));
    });
