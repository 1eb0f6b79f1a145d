using Capture.ServiceDefaults.Persistence;
using Capture.Testing;
using Npgsql;

namespace Capture.ServiceDefaults.Tests.Persistence;

public sealed class ServiceConnectionStringTests
{
    [Fact]
    public void A_plain_connection_string_gets_automatic_preparation_and_no_reset()
    {
        var tuned = new NpgsqlConnectionStringBuilder(ServiceConnectionString.WithDefaults("Host=127.0.0.1;Port=15432;Database=x;Username=postgres"));

        Assert.Equal(ServiceConnectionString.MaxAutoPrepare, tuned.MaxAutoPrepare);
        Assert.Equal(ServiceConnectionString.AutoPrepareMinUsages, tuned.AutoPrepareMinUsages);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("x", tuned.Database);
        Assert.Equal(15432, tuned.Port);
    }

    [Fact]
    public void What_the_connection_string_sets_itself_is_kept_in_any_spelling()
    {
        var tuned = new NpgsqlConnectionStringBuilder(ServiceConnectionString.WithDefaults("Host=h;Database=x;max auto prepare=0;AutoPrepareMinUsages=5;No Reset On Close=false"));

        Assert.Equal(0, tuned.MaxAutoPrepare);
        Assert.Equal(5, tuned.AutoPrepareMinUsages);
        Assert.False(tuned.NoResetOnClose);
    }

    [Fact]
    public async Task A_repeated_statement_is_prepared_once_and_stays_prepared_when_the_connection_goes_back_to_the_pool()
    {
        var endpoints = await TestInfrastructure.GetAsync();
        var builder = new NpgsqlConnectionStringBuilder(ServiceConnectionString.WithDefaults(endpoints.Database("postgres")))
        {
            ApplicationName = "prepare-" + Guid.NewGuid().ToString("N"), // a pool of its own
            MaxPoolSize = 1,
        };
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        var marker = Guid.NewGuid().ToString("N");
        var statement = $"SELECT @n::int + 1 AS \"{marker}\"";

        for (var i = 0; i < 3; i++)
        {
            await using var connection = await source.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(statement, connection) { Parameters = { new("n", i) } };
            Assert.Equal(i + 1, await command.ExecuteScalarAsync());
        }

        await using (var connection = await source.OpenConnectionAsync())
        {
            await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE @pattern", connection)
            {
                Parameters = { new("pattern", $"%{marker}%") },
            };
            Assert.Equal(1L, await prepared.ExecuteScalarAsync());
        }
    }
}
