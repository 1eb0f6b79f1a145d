using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Capture.ServiceDefaults.Persistence;

/// <summary>
/// Before the service starts serving, <c>Migrations:OnStart</c> decides what happens to its schema:
/// <c>Apply</c> (the default, for local runs and tests) applies pending migrations; <c>Verify</c> (Kubernetes, where the
/// service's login may only read and write data and a Job runs <c>migrations apply</c> as the owner) only refuses to
/// start while migrations are pending. Two instances applying at once must not both create the database or run one
/// migration twice, so applying runs under a PostgreSQL advisory lock taken on the server's maintenance database (the
/// service's own database may not exist yet).
/// </summary>
public sealed partial class DatabaseMigrator<TContext>(
    IServiceProvider services,
    IConfiguration configuration,
    ILogger<DatabaseMigrator<TContext>> logger) : IHostedService
    where TContext : ServiceDbContext
{
    public const string OnStartKey = "Migrations:OnStart";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var mode = configuration[OnStartKey];
        if (string.Equals(mode, "Verify", StringComparison.OrdinalIgnoreCase))
        {
            await VerifyAsync(db, cancellationToken);
        }
        else if (string.IsNullOrEmpty(mode) || string.Equals(mode, "Apply", StringComparison.OrdinalIgnoreCase))
        {
            await MigrateAsync(db, logger, cancellationToken);
        }
        else
        {
            throw new InvalidOperationException($"{OnStartKey} is '{mode}'; use Apply (migrate at start) or Verify (a migrations Job does it).");
        }
    }

    /// <summary>Fails when the database lacks migrations this build has: the migrations Job has not run (yet).</summary>
    public static async Task VerifyAsync(TContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"Database {db.Database.GetDbConnection().Database} lacks the migrations {string.Join(", ", pending)} and {OnStartKey} is Verify: "
                + "run this service's `migrations apply` (the migrations Job) first.");
        }
    }

    /// <summary>Creates the database if it is missing and applies pending migrations, under the advisory lock.</summary>
    public static async Task MigrateAsync(TContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var connectionString = db.Database.GetConnectionString()!;
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };

        await using var lockConnection = new NpgsqlConnection(maintenance.ConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        var lockKey = LockKey(target.Database ?? typeof(TContext).Name);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", lockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            // Create the database here rather than letting EF discover it is missing: EF logs that discovery as errors.
            await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", lockConnection))
            {
                exists.Parameters.AddWithValue("name", target.Database!);
                if (await exists.ExecuteScalarAsync(cancellationToken) is null)
                {
                    LogCreating(logger, target.Database);
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database!.Replace("\"", "\"\"", StringComparison.Ordinal)}\" ENCODING 'UTF8'", lockConnection);
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                LogApplying(logger, target.Database, string.Join(", ", pending));
            }

            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", lockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Stable across processes (string.GetHashCode is randomized per process).
    private static long LockKey(string database)
    {
        ulong hash = 14695981039346656037;
        foreach (var c in "capture-migrate:" + database)
        {
            hash = (hash ^ c) * 1099511628211;
        }

        return unchecked((long)hash);
    }

    [LoggerMessage(LogLevel.Information, "Creating database {Database}")]
    private static partial void LogCreating(ILogger logger, string? database);

    [LoggerMessage(LogLevel.Information, "Applying migrations to {Database}: {Migrations}")]
    private static partial void LogApplying(ILogger logger, string? database, string migrations);
}
