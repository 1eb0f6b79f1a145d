using System.Reflection;

namespace Capture.AppHost.Hosting;

/// <summary>Where the checkout and the built services are, as recorded when the AppHost was built.</summary>
public static class Paths
{
    private static string Metadata(string key) =>
        typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"AppHost assembly lacks metadata {key}.");

    public static string RepoRoot { get; } = Path.GetFullPath(Metadata("Capture.RepoRoot"));

    public static string Configuration { get; } = Metadata("Capture.Configuration");

    public static string TargetFramework { get; } = Metadata("Capture.TargetFramework");

    public static string S3LauncherDirectory => Path.Combine(RepoRoot, "deploy", "local", "s3");
}
