using Capture.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Capture.ServiceDefaults.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// Registers the service's DbContext on its own database (<c>ConnectionStrings:{connectionName}</c>) with snake_case
    /// names and the migrations history in the service's schema; applies migrations at start under a lock; adds the
    /// database to readiness and starts the outbox relay for this context.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(this IHostApplicationBuilder builder, string connectionName, string schema)
        where TContext : ServiceDbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not set: give the PostgreSQL connection string of this service's database "
                + $"(environment variable ConnectionStrings__{connectionName}; the AppHost sets it).");
        connectionString = ServiceConnectionString.WithDefaults(connectionString);

        // Pooled: a check-in queue creates hundreds of contexts a second.
        builder.Services.AddDbContextPool<TContext>((services, options) =>
            Configure(options, connectionString, schema).AddInterceptors(services.GetRequiredService<OutboxSignalInterceptor>()));
        builder.Services.AddScoped<ServiceDbContext>(services => services.GetRequiredService<TContext>());
        builder.Services.AddHostedService<DatabaseMigrator<TContext>>();
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: connectionName, tags: [Extensions.ReadyTag]);
        builder.Services.AddOutboxRelay<TContext>();
        return builder;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString, string schema) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", schema))
            .UseSnakeCaseNamingConvention();
}
