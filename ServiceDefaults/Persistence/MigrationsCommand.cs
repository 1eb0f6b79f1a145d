#pragma warning disable EF1001 // the design-time services are EF's own "pubternal" API; dotnet-ef uses the same ones.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Capture.ServiceDefaults.Persistence;

/// <summary>
/// <c>dotnet run --project services/X -- migrations add Name</c> scaffolds a migration into the service's
/// Infrastructure/Migrations folder. It stands in for the dotnet-ef tool, which this machine's registry lacks,
/// and uses the same EF design-time services. No database is touched.
/// <para>
/// <c>Capture.X migrations apply</c> applies the pending migrations to the service's database and exits (the
/// Kubernetes migrations Job, deploy/k8s/base/migrations): the connection string is the only <c>ConnectionStrings:*</c>
/// given (or the one <c>Migrations:ConnectionName</c> names), from the environment or <c>--key=value</c> arguments, with
/// a login that may change the schema; <c>Migrations:GrantTo</c> names the service's data-only login to grant its
/// schema's rows to (<see cref="DatabaseGrants"/>). Exit code 0 when the database is up to date.
/// </para>
/// </summary>
public static class MigrationsCommand
{
    public static bool TryRun<TContext>(string[] args, Func<DbContextOptions<TContext>, TContext> create, string schema)
        where TContext : ServiceDbContext
    {
        if (args.Length < 1 || args[0] != "migrations")
        {
            return false;
        }

        if (args.Length >= 2 && args[1] == "apply")
        {
            Environment.ExitCode = ApplyAsync(args[2..], create, schema, CancellationToken.None).GetAwaiter().GetResult();
            return true;
        }

        if (args.Length != 3 || args[1] != "add")
        {
            Console.Error.WriteLine("usage: migrations add <Name> | migrations apply [--Migrations:GrantTo=<role>] [--ConnectionStrings:<db>=...]");
            Environment.ExitCode = 2;
            return true;
        }

        var projectDir = FindProjectDirectory(typeof(TContext).Assembly.GetName().Name!);
        var options = new DbContextOptionsBuilder<TContext>();
        PersistenceExtensions.Configure(options, "Host=design-time;Database=design-time", schema);
        using var context = create(options.Options);

        var reporter = new OperationReporter(new OperationReportHandler(
            Console.Error.WriteLine, Console.Error.WriteLine, Console.WriteLine, _ => { }));
        var assembly = typeof(TContext).Assembly;
        var services = new DesignTimeServicesBuilder(assembly, assembly, reporter, []).Build(context);
        var scaffolder = services.GetRequiredService<IMigrationsScaffolder>();
        var migration = scaffolder.ScaffoldMigration(args[2], assembly.GetName().Name!, "Infrastructure.Migrations", "C#");
        var files = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, "Infrastructure", "Migrations"));
        Console.WriteLine($"Wrote {files.MigrationFile}, {files.MetadataFile} and {files.SnapshotFile}");
        return true;
    }

    /// <summary><c>migrations apply</c>: returns the process exit code (0 done, 1 failed, 2 wrong usage).</summary>
    public static async Task<int> ApplyAsync<TContext>(string[] args, Func<DbContextOptions<TContext>, TContext> create, string schema, CancellationToken cancellationToken)
        where TContext : ServiceDbContext
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggers.CreateLogger("Capture.Migrations");
        var named = configuration["Migrations:ConnectionName"];
        var given = configuration.GetSection("ConnectionStrings").GetChildren().Where(c => !string.IsNullOrWhiteSpace(c.Value)).ToList();
        var connection = named is not null ? given.FirstOrDefault(c => c.Key == named) : given.Count == 1 ? given[0] : null;
        if (connection is null)
        {
            await Console.Error.WriteLineAsync(named is not null
                ? $"migrations apply: ConnectionStrings:{named} is not set."
                : $"migrations apply: give exactly one ConnectionStrings:<database> (found {given.Count}), or name it with Migrations:ConnectionName.");
            return 2;
        }

        try
        {
            var options = new DbContextOptionsBuilder<TContext>();
            PersistenceExtensions.Configure(options, ServiceConnectionString.WithDefaults(connection.Value!), schema);
            await using (var db = create(options.Options))
            {
                await DatabaseMigrator<TContext>.MigrateAsync(db, logger, cancellationToken);
            }

            var grantee = configuration["Migrations:GrantTo"];
            if (!string.IsNullOrWhiteSpace(grantee))
            {
                await DatabaseGrants.GrantDataAccessAsync(connection.Value!, schema, grantee, cancellationToken);
                logger.LogInformation("Granted data access on schema {Schema} to {Role}", schema, grantee);
            }

            logger.LogInformation("Database {Database} is up to date", connection.Key);
            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or DbUpdateException)
        {
            logger.LogError(ex, "migrations apply failed for {Database}", connection.Key);
            return 1;
        }
    }

    private static string FindProjectDirectory(string assemblyName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, assemblyName + ".csproj")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
