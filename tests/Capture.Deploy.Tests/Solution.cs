using System.Text.RegularExpressions;

namespace Capture.Deploy.Tests;

/// <summary>The projects of Capture.sln that become containers: services/* (not Contracts), gateway and web (DESIGN.md's
/// Capture.Web, when it exists): each must have a Deployment in every overlay.</summary>
public static partial class Solution
{
    public sealed record WebProject(string Name, string Path, string ResourceName);

    public static IReadOnlyList<WebProject> WebProjects() =>
        ProjectLine().Matches(File.ReadAllText(System.IO.Path.Combine(Repo.Root, "Capture.sln")))
            .Select(m => (Name: m.Groups["name"].Value, Path: m.Groups["path"].Value.Replace('\\', '/')))
            .Where(p => (p.Path.StartsWith("services/", StringComparison.Ordinal) && !p.Path.StartsWith("services/Contracts/", StringComparison.Ordinal))
                || p.Path.StartsWith("gateway/", StringComparison.Ordinal)
                || p.Path.StartsWith("web/", StringComparison.Ordinal))
            .Select(p => new WebProject(p.Name, p.Path, ResourceName(p.Name)))
            .ToList();

    /// <summary><c>Capture.CaptureIngest</c> → <c>capture-ingest</c>, as ServiceDefaults names a service's resources.</summary>
    public static string ResourceName(string projectName)
    {
        var last = projectName.Split('.').Last();
        return string.Concat(last.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
    }

    [GeneratedRegex(@"^Project\(""\{[^}]+\}""\) = ""(?<name>[^""]+)"", ""(?<path>[^""]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex ProjectLine();
}
