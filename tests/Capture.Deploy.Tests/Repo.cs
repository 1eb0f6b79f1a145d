using System.Diagnostics;

namespace Capture.Deploy.Tests;

/// <summary>The checkout this test runs from, and the tools the deploy tests run (kubectl, node, dotnet).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string K8s => Path.Combine(Root, "deploy", "k8s");

    public static string Validator => Path.Combine(Root, "deploy", "validate");

    /// <summary>Every overlay under deploy/k8s/overlays: a new one is rendered and checked without touching the tests.</summary>
    public static IReadOnlyList<string> Overlays { get; } = Directory.GetDirectories(Path.Combine(FindRoot(), "deploy", "k8s", "overlays"))
        .Where(d => File.Exists(Path.Combine(d, "kustomization.yaml")))
        .Select(Path.GetFileName)
        .OfType<string>()
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// kubectl with Kustomize 5: the copy deploy/validate/ensure-kubectl.sh unpacked, else the one on PATH. Missing is a
    /// failure, not a skip: deploy/local/prerequisites.sh (run by ./test.sh) installs it.
    /// </summary>
    public static string Kubectl
    {
        get
        {
            var local = Path.Combine(Validator, ".tools", "kubectl");
            if (File.Exists(local))
            {
                return local;
            }

            return FindOnPath("kubectl")
                ?? throw new InvalidOperationException("kubectl is not installed: run deploy/local/prerequisites.sh (./test.sh does).");
        }
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time");
        }

        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Capture.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Capture.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}
