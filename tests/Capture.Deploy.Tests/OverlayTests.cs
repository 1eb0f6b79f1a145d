using System.Text.Json.Nodes;
using static Capture.Deploy.Tests.Manifests;

namespace Capture.Deploy.Tests;

/// <summary>Every overlay renders with kubectl kustomize, validates against the schemas and follows our rules.</summary>
public sealed class OverlayTests
{
    public static TheoryData<string> Overlays => new(Repo.Overlays);

    [Fact]
    public void The_two_overlays_the_design_names_exist()
    {
        Assert.Contains("single-campus", Repo.Overlays);
        Assert.Contains("provider", Repo.Overlays);
    }

    [Fact]
    public void Kubectl_has_kustomize_5_or_later()
    {
        var version = Repo.Run(Repo.Kubectl, ["version", "--client"]);
        Assert.Equal(0, version.ExitCode);
        var line = version.Output.Split('\n').Single(l => l.StartsWith("Kustomize Version: v", StringComparison.Ordinal));
        Assert.True(int.Parse(line["Kustomize Version: v".Length..].Split('.')[0], System.Globalization.CultureInfo.InvariantCulture) >= 5, line);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_renders(string overlay)
    {
        var rendered = Rendered.Of(overlay);
        Assert.NotEmpty(rendered.OfKind("Deployment"));
        Assert.All(rendered.Objects.Where(o => Kind(o) is not ("Namespace" or "PriorityClass")),
            o => Assert.Equal("capture", Text(o["metadata"]?["namespace"])));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_validates_against_the_Kubernetes_and_operator_schemas(string overlay)
    {
        var result = Validate(Rendered.Of(overlay).Yaml);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("INVALID", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_follows_our_rules(string overlay)
    {
        var violations = DeployRules.All(Rendered.Of(overlay).Objects);
        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void The_validator_rejects_a_wrong_type_an_unknown_field_and_an_unknown_kind()
    {
        var yaml = Rendered.Of("provider").Yaml
            .Replace("enablePodMonitor: true", "enablePodMonitr: true", StringComparison.Ordinal)
            .Replace("maxReplicaCount: 12", "maxReplicaCount: many", StringComparison.Ordinal)
            .Replace("  image: rabbitmq:", "  replicaz: 3\n  image: rabbitmq:", StringComparison.Ordinal)
            .Replace("poolMode: transaction", "poolMode: statementish", StringComparison.Ordinal)
            + "---\napiVersion: example.com/v1\nkind: Unheard\nmetadata:\n  name: x\n";
        var result = Validate(yaml);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("INVALID ScaledObject/capture-ingest-worker: data/spec/maxReplicaCount must be integer", result.Output, StringComparison.Ordinal);
        Assert.Contains("INVALID RabbitmqCluster/capture-rabbitmq: /spec must NOT have additional properties (replicaz)", result.Output, StringComparison.Ordinal);
        Assert.Contains("INVALID Pooler/capture-postgres-pooler-rw", result.Output, StringComparison.Ordinal);
        Assert.Contains("INVALID Unheard/x: no schema known", result.Output, StringComparison.Ordinal);
        Assert.Contains("INVALID Cluster/capture-postgres: Object literal may only specify known properties, and '\"enablePodMonitr\"'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_validator_rejects_an_unknown_field_of_a_built_in_kind()
    {
        var yaml = Rendered.Of("single-campus").Yaml.Replace("readinessProbe:", "readinessProb:", StringComparison.Ordinal);
        var result = Validate(yaml);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("INVALID Deployment/scheduling: Object literal may only specify known properties, and '\"readinessProb\"' does not exist in type 'IContainer'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void No_yaml_under_deploy_carries_a_Secret_with_data()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Repo.Root, "deploy"), "*.y*ml", SearchOption.AllDirectories)
            .Where(f => !f.Contains("node_modules", StringComparison.Ordinal));
        var offenders = files.SelectMany(f => Parse(File.ReadAllText(f)).Select(o => (f, o)))
            .Where(x => DeployRules.NoSecretCarriesData([x.o]).Any())
            .Select(x => Path.GetRelativePath(Repo.Root, x.f) + " " + Id(x.o))
            .ToList();
        Assert.True(offenders.Count == 0, string.Join('\n', offenders));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_service_and_the_gateway_in_the_solution_has_a_Deployment(string overlay)
    {
        var deployedImages = Rendered.Of(overlay).OfKind("Deployment")
            .SelectMany(d => Items(PodSpec(d)?["containers"]))
            .Select(c => Text(c["image"])!)
            .Select(image => image.Split('@')[0])
            .Select(image => image[(image.LastIndexOf('/') + 1)..].Split(':')[0])
            .ToHashSet();
        var resources = Solution.WebProjects().Select(p => p.ResourceName).ToList();
        Assert.Contains("capture-ingest", resources);
        Assert.Contains("gateway", resources);
        Assert.All(resources, r => Assert.True(deployedImages.Contains(r), $"{overlay}: no Deployment runs the {r} image"));
    }

    public static ProcessResult Validate(string yaml)
    {
        if (!Directory.Exists(Path.Combine(Repo.Validator, "node_modules", "kubernetes-models")))
        {
            throw new InvalidOperationException("deploy/validate has no node_modules: run deploy/local/prerequisites.sh (./test.sh does).");
        }

        var file = Path.Combine(Path.GetTempPath(), $"capture-deploy-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        try
        {
            var node = Repo.FindOnPath("node") ?? throw new InvalidOperationException("node is not installed: run deploy/local/prerequisites.sh");
            return Repo.Run(node, [Path.Combine(Repo.Validator, "validate.mjs"), file]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
