using System.Diagnostics;

namespace Capture.AppHost.Hosting;

/// <summary>
/// A PostgreSQL server on 127.0.0.1 from the machine's PostgreSQL binaries, data in <see cref="DataDirectory"/>.
/// Runs in the foreground as our child (as the <c>postgres</c> user when we are root, since initdb refuses root),
/// and stops with SIGINT, PostgreSQL's fast shutdown. A second start on the same directory reuses the data.
/// </summary>
public sealed class PostgresServer(string dataDirectory, int port, bool throwaway, ILogSink log) : IAsyncDisposable
{
    public const string ResourceName = "postgres";
    private ManagedProcess? process;

    public string DataDirectory { get; } = dataDirectory;

    public int Port { get; } = port;

    public int? Pid => process?.Pid;

    public ManagedProcess? Process => process;

    /// <summary>The server's connection string without a database; services add <c>Database=...</c>.</summary>
    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres";

    public string ConnectionString(string database) => $"{ServerConnectionString};Database={database}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bin = FindBinDirectory();
        var cluster = Path.Combine(DataDirectory, "cluster");
        var sockets = Path.Combine(DataDirectory, "sockets");
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(sockets);
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", DataDirectory], cancellationToken);
        }

        if (!File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            await RunAsync(
                Wrap(asPostgres, Path.Combine(bin, "initdb")),
                [.. WrapArgs(asPostgres, Path.Combine(bin, "initdb")), "-D", cluster, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                cancellationToken);
        }

        // Everything connects over TCP; the Unix socket only has to be creatable. Its path is limited to 107 bytes, which a
        // data folder in a deep checkout (a git worktree, say) exceeds: then the server runs without one.
        var socketDirectory = (sockets + "/.s.PGSQL." + Port).Length <= 100 ? sockets : string.Empty;

        // A server killed hard leaves its pid file; PostgreSQL refuses to start over a live one only.
        List<string> arguments = [.. WrapArgs(asPostgres, Path.Combine(bin, "postgres")), "-D", cluster, "-p", Port.ToString(), "-k", socketDirectory,
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=400", "-c", "shared_buffers=128MB"];
        if (throwaway)
        {
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        process = ManagedProcess.Start(ResourceName, Wrap(asPostgres, Path.Combine(bin, "postgres")), arguments, log);
        await Network.WaitUntilAsync(
            ResourceName,
            async ct => (await RunQuietAsync(Path.Combine(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres"], ct)).ExitCode == 0,
            TimeSpan.FromSeconds(60),
            process,
            cancellationToken);
    }

    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.StopAsync(ManagedProcess.SigInt, TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static string Wrap(bool asPostgres, string program) => asPostgres ? "setpriv" : program;

    private static IEnumerable<string> WrapArgs(bool asPostgres, string program) =>
        asPostgres ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program] : [];

    internal static string FindBinDirectory()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CAPTURE_POSTGRES_BIN");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        var root = "/usr/lib/postgresql";
        var versions = Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "bin", "postgres"))).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql: install the postgresql package (or set CAPTURE_POSTGRES_BIN).");
    }

    internal static async Task RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunQuietAsync(fileName, arguments, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({exitCode}):\n{output}");
        }
    }

    internal static async Task<(int ExitCode, string Output)> RunQuietAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken);
        return (p.ExitCode, await stdout + await stderr);
    }
}
