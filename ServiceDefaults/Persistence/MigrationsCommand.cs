#pragma warning disable EF1001 // the design-time services are EF's own "pubternal" API; dotnet-ef uses the same ones.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.ServiceDefaults.Persistence;

/// <summary>
/// <c>dotnet run --project services/X -- migrations add Name</c> scaffolds a migration into the service's
/// Infrastructure/Migrations folder. It stands in for the dotnet-ef tool, which this machine's registry lacks,
/// and uses the same EF design-time services. No database is touched.
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

        if (args.Length != 3 || args[1] != "add")
        {
            Console.Error.WriteLine("usage: migrations add <Name>");
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
