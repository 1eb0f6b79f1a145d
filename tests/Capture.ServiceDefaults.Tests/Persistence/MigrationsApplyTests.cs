using Capture.ServiceDefaults.Persistence;
using Capture.ServiceDefaults.Tests.Plumbing;
using Npgsql;

namespace Capture.ServiceDefaults.Tests.Persistence;

/// <summary>
/// The Kubernetes split: a Job runs <c>migrations apply</c> as the owner and grants the service's login data access
/// only; the service starts with <c>Migrations:OnStart=Verify</c> and never changes the schema itself.
/// </summary>
public sealed class MigrationsApplyTests
{
    [Fact]
    public async Task Apply_migrates_grants_data_access_only_and_a_verifying_service_starts_with_that_login()
    {
        await using var isolated = await Isolated.CreateAsync();
        var role = $"ledger_app_{Guid.NewGuid():N}"[..30];
        await AdminAsync(isolated, $"CREATE ROLE \"{role}\" LOGIN PASSWORD 'x'");
        try
        {
            var exit = await MigrationsCommand.ApplyAsync<LedgerDbContext>(
                [$"--ConnectionStrings:ledgerdb={isolated.DatabaseConnection}", $"--Migrations:GrantTo={role}"],
                options => new LedgerDbContext(options), LedgerDbContext.SchemaName, CancellationToken.None);
            Assert.Equal(0, exit);

            var asApp = new NpgsqlConnectionStringBuilder(isolated.DatabaseConnection) { Username = role, Password = "x", Pooling = false }.ConnectionString;
            await using (var connection = new NpgsqlConnection(asApp))
            {
                await connection.OpenAsync();
                await using var insert = new NpgsqlCommand("INSERT INTO ledger.ledgers (id, name, balance) VALUES (gen_random_uuid(), 'x', 0)", connection);
                Assert.Equal(1, await insert.ExecuteNonQueryAsync());
                await using var ddl = new NpgsqlCommand("CREATE TABLE ledger.sneaky (id int)", connection);
                var denied = await Assert.ThrowsAsync<PostgresException>(() => ddl.ExecuteNonQueryAsync());
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
            }

            // The service with the data-only login, verifying instead of migrating, starts and works (outbox, inbox).
            await using var host = await LedgerHost.StartAsync(asApp, isolated.Messaging, new DeliveryLog(),
                settings: new Dictionary<string, string?> { [DatabaseMigrator<LedgerDbContext>.OnStartKey] = "Verify" });
            Assert.Equal(1, await host.InDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Ledgers)));
        }
        finally
        {
            await AdminAsync(isolated, $"DROP OWNED BY \"{role}\"", isolated.Database);
            await AdminAsync(isolated, $"DROP ROLE IF EXISTS \"{role}\"");
        }
    }

    [Fact]
    public async Task A_verifying_service_refuses_to_start_on_a_database_with_pending_migrations()
    {
        await using var isolated = await Isolated.CreateAsync();
        await AdminAsync(isolated, $"CREATE DATABASE \"{isolated.Database}\"");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging,
            new DeliveryLog(), settings: new Dictionary<string, string?> { [DatabaseMigrator<LedgerDbContext>.OnStartKey] = "Verify" }));
        Assert.Contains("migrations apply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_without_exactly_one_connection_string_is_a_usage_error()
    {
        var exit = await MigrationsCommand.ApplyAsync<LedgerDbContext>(
            ["--ConnectionStrings:a=Host=x", "--ConnectionStrings:b=Host=y"],
            options => new LedgerDbContext(options), LedgerDbContext.SchemaName, CancellationToken.None);
        Assert.Equal(2, exit);
    }

    private static async Task AdminAsync(Isolated isolated, string sql, string database = "postgres")
    {
        var admin = new NpgsqlConnectionStringBuilder(isolated.DatabaseConnection) { Database = database, Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
