using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Capture.Contracts.Verification;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Storage;
using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Verification.Infrastructure;

/// <summary>
/// Builds one export batch: the verified students' standardised JPEGs named by ID number (or student number) and
/// <c>manifest.csv</c> and <c>manifest.xlsx</c>, in one zip written to a temporary file (never held in memory: a photo at a time), then streamed
/// to bucket <c>exports</c>. Each photo is checked again (480×640 JPEG within the size range, the SHA-256 accepted);
/// one that fails, is missing, or belongs to a withdrawn student is listed as a problem and left out. Entries are
/// sorted, stored uncompressed, with a fixed timestamp: the same set gives the same zip, byte for byte. One instance builds
/// a batch at a time (<see cref="ExportLease"/>).
/// </summary>
public sealed partial class ExportBuilder(IServiceScopeFactory scopes, IObjectStorage storage, TimeProvider time, IOptions<VerificationOptions> options, ILogger<ExportBuilder> logger)
{
    public const string Bucket = "exports";
    public const string ManifestName = "manifest.csv";
    public const string ManifestSheetName = "manifest.xlsx";
    private const int ReadAhead = 16;
    private const string LockBatchRow = "SELECT state AS \"Value\" FROM " + VerificationDbContext.SchemaName + ".export_batches WHERE id = {0} FOR UPDATE";
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] ManifestHeader = ["file_name", "name", "id_type", "id_number", "student_number", "degree_level", "college_code", "sha256", "verification"];

    /// <summary>
    /// Builds the batch unless another instance is building it (its lease is held) or it is already finished; returns
    /// whether this call built it (ready or failed).
    /// </summary>
    public async Task<bool> BuildAsync(Guid batchId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VerificationDbContext>();
        await using var lease = await ExportLease.TryTakeAsync(db.Database.GetConnectionString()!, batchId, ct);
        if (lease is null)
        {
            LogHeldElsewhere(logger, batchId);
            return false;
        }

        // Read under the lease: an instance that held it before may have finished the batch meanwhile.
        var batch = await db.Exports.FirstOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null || batch.State is ExportState.Ready or ExportState.Failed)
        {
            return false;
        }

        batch.Start();
        await db.SaveChangesAsync(ct);
        try
        {
            return await BuildAsync(db, lease, batch, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            var again = await db.Exports.FirstAsync(b => b.Id == batchId, CancellationToken.None);
            if (again.State != ExportState.Building)
            {
                return false;
            }

            if (IsPassing(e) && again.Attempts < Math.Clamp(options.Value.ExportMaxAttempts, 1, 100))
            {
                LogInterrupted(logger, batch.Id, again.Attempts, options.Value.ExportMaxAttempts, e);
                again.Interrupted(e.Message);
                await db.SaveChangesAsync(CancellationToken.None);
                return false;
            }

            LogFailed(logger, batch.Id, e);
            again.Fail("The export could not be written: " + e.Message, time.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            return true;
        }
    }

    private async Task<bool> BuildAsync(VerificationDbContext db, ExportLease lease, ExportBatch batch, CancellationToken ct)
    {
        var school = batch.SchoolCode.ToLowerInvariant();
        var query = db.Tasks.AsNoTracking().Where(t => t.CampaignId == batch.CampaignId && t.SchoolCode.ToLower() == school && t.PhotoId != null
            && (t.State == TaskState.Confirmed || (batch.IncludeExpired && t.State == TaskState.ExpiredUnverified)));
        if (batch.CollegeCode.Length > 0)
        {
            query = query.Where(t => t.CollegeCode == batch.CollegeCode);
        }

        var tasks = await query.ToListAsync(ct);
        var problems = new List<ExportProblem>();
        var items = new List<(VerificationTask Task, string FileName)>();
        foreach (var task in tasks.OrderBy(t => t.RegistrationId))
        {
            var name = ExportNaming.FileName(batch.Naming, task.IdNumber, task.StudentNumber);
            if (task.Withdrawn)
            {
                problems.Add(Problem(batch, task, "withdrawn", "Withdrawn from the campaign after verifying: not exported."));
            }
            else if (name is null)
            {
                problems.Add(Problem(batch, task, "no-id-number", $"No usable {(batch.Naming == ExportNaming.StudentNumber ? "student" : "ID")} number to name the file by."));
            }
            else
            {
                items.Add((task, name));
            }
        }

        foreach (var duplicate in items.GroupBy(i => i.FileName, StringComparer.Ordinal).Where(g => g.Count() > 1).SelectMany(g => g).ToList())
        {
            items.Remove(duplicate);
            problems.Add(Problem(batch, duplicate.Task, "duplicate-file-name", $"Another student's file would have the same name {duplicate.FileName}: fix the data in Registration."));
        }

        items.Sort((a, b) => string.CompareOrdinal(a.FileName, b.FileName));
        var directory = options.Value.ExportTempDirectory ?? Path.GetTempPath();
        var path = Path.Combine(directory, $"capture-export-{batch.Id:N}.zip");
        // Photos are read a window at a time, concurrently (the store's latency, not its bandwidth, bounds a
        // one-by-one read), and written in order: memory is the window's buffers, whatever the batch size.
        var buffers = Enumerable.Range(0, ReadAhead).Select(_ => ArrayPool<byte>.Shared.Rent((int)options.Value.PhotoMaxBytes + 1)).ToArray();
        var exported = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            var manifest = new StringBuilder();
            manifest.Append(Csv.Line(ManifestHeader));
            using var sheet = new ExportManifestSheet(ManifestHeader);
            await using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
            {
                foreach (var window in items.Chunk(ReadAhead))
                {
                    ct.ThrowIfCancellationRequested();
                    var reads = await Task.WhenAll(window.Select((item, i) => ReadPhotoAsync(item.Task, buffers[i], ct)));
                    for (var i = 0; i < window.Length; i++)
                    {
                        var (task, fileName) = window[i];
                        var (length, problem) = reads[i];
                        if (problem is not null)
                        {
                            problems.Add(Problem(batch, task, problem.Value.Kind, problem.Value.Detail));
                            continue;
                        }

                        var entry = zip.CreateEntry(fileName, CompressionLevel.NoCompression);
                        entry.LastWriteTime = EntryTime;
                        await using (var output = await entry.OpenAsync(ct))
                        {
                            await output.WriteAsync(buffers[i].AsMemory(0, length), ct);
                        }

                        string?[] line = [fileName, task.StudentName, task.IdType, task.IdNumber, task.StudentNumber, task.DegreeLevel, task.CollegeCode, task.PhotoSha256, task.State.Kebab()];
                        manifest.Append(Csv.Line(line));
                        sheet.Add(line);
                        exported++;
                    }
                }

                var manifestEntry = zip.CreateEntry(ManifestName, CompressionLevel.Optimal);
                manifestEntry.LastWriteTime = EntryTime;
                await using (var writer = new StreamWriter(await manifestEntry.OpenAsync(ct), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
                {
                    await writer.WriteAsync(manifest, ct);
                }

                await sheet.WriteAsync(zip, ManifestSheetName, EntryTime, directory, ct);
            }

            await file.FlushAsync(ct);
            file.Position = 0;
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
            var size = file.Length;
            file.Position = 0;
            var key = $"{batch.SchoolCode}/{batch.CampaignId}/{batch.Id}.zip";
            if (!await lease.IsHeldAsync(ct))
            {
                // The lease's connection dropped: another instance may be building the batch now; the sweep resumes it otherwise.
                LogLeaseLost(logger, batch.Id);
                return false;
            }

            await storage.PutAsync(Bucket, key, file, size, "application/zip", ct);

            // The batch row is written once even if the lease was lost meanwhile: the row is locked and must still be building.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var state = await db.Database.SqlQueryRaw<string>(LockBatchRow, batch.Id).ToListAsync(ct);
            if (state is not [nameof(ExportState.Building)])
            {
                LogLeaseLost(logger, batch.Id);
                return false;
            }

            var now = time.GetUtcNow();
            batch.Ready(key, sha, size, exported, problems.Count, now);
            db.ExportProblems.AddRange(problems);
            db.AddIntegrationEvent(new ExportBatchReady(batch.Id, batch.CampaignId, batch.SchoolCode, batch.CollegeCode.Length > 0 ? batch.CollegeCode : null, key, sha, size, exported, problems.Count, now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            LogReady(logger, batch.Id, exported, problems.Count, size);
            return true;
        }
        finally
        {
            foreach (var buffer in buffers)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads one standardised photo (at most the largest size + 1 byte) and checks it against the spec and its accepted SHA-256.</summary>
    private async Task<(int Length, (string Kind, string Detail)? Problem)> ReadPhotoAsync(VerificationTask task, byte[] buffer, CancellationToken ct)
    {
        var max = (int)options.Value.PhotoMaxBytes;
        int length;
        try
        {
            await using var photo = await storage.OpenReadAsync("photos-standardized", task.PhotoKey!, ct);
            length = 0;
            int read;
            while (length <= max && (read = await photo.ReadAsync(buffer.AsMemory(length, max + 1 - length), ct)) > 0)
            {
                length += read;
            }
        }
        catch (FileNotFoundException)
        {
            return (0, ("missing-photo", $"The standardised photo {task.PhotoKey} is not in storage: ask the provider to upload it again."));
        }

        if (length > max)
        {
            return (0, ("off-spec", $"larger than {max / 1024} KB"));
        }

        var bytes = buffer.AsSpan(0, length);
        if (PhotoSpec.Check(bytes, options.Value.PhotoMinBytes, max) is { } wrong)
        {
            return (0, ("off-spec", wrong));
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(sha, task.PhotoSha256, StringComparison.OrdinalIgnoreCase))
        {
            return (0, ("checksum-mismatch", "The stored photo is not the one the student verified (SHA-256 differs)."));
        }

        return (length, null);
    }

    private static ExportProblem Problem(ExportBatch batch, VerificationTask task, string kind, string detail) => new()
    {
        BatchId = batch.Id, RegistrationId = task.RegistrationId, StudentNumber = task.StudentNumber ?? "", CollegeCode = task.CollegeCode,
        Kind = kind, Detail = detail.Length > Limits.Reason ? detail[..Limits.Reason] : detail,
    };

    [LoggerMessage(LogLevel.Information, "Export batch {BatchId} ready: {Photos} photos, {Problems} problems, {Bytes} bytes")]
    private static partial void LogReady(ILogger logger, Guid batchId, int photos, int problems, long bytes);

    [LoggerMessage(LogLevel.Debug, "Export batch {BatchId} is being built by another instance (its lease is held): skipped")]
    private static partial void LogHeldElsewhere(ILogger logger, Guid batchId);

    [LoggerMessage(LogLevel.Warning, "Export batch {BatchId}: the lease was lost while building (database connection dropped); left for the instance that holds it or the next sweep")]
    private static partial void LogLeaseLost(ILogger logger, Guid batchId);

    /// <summary>A fault that may pass (the store or the database out of reach, a dropped connection, a timeout), not one in the data or the code.</summary>
    private static bool IsPassing(Exception e) => e is HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException
        or Npgsql.NpgsqlException { IsTransient: true } or Minio.Exceptions.ConnectionException or Minio.Exceptions.InternalClientException
        || (e.InnerException is { } inner && IsPassing(inner));

    [LoggerMessage(LogLevel.Warning, "Export batch {BatchId}: attempt {Attempt} of {MaxAttempts} stopped by a passing fault; the next sweep tries again")]
    private static partial void LogInterrupted(ILogger logger, Guid batchId, int attempt, int maxAttempts, Exception exception);

    [LoggerMessage(LogLevel.Error, "Export batch {BatchId} failed")]
    private static partial void LogFailed(ILogger logger, Guid batchId, Exception exception);
}
