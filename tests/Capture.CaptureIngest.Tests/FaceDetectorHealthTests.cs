using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.CaptureIngest.Infrastructure;
using Capture.ServiceDefaults.Http;

namespace Capture.CaptureIngest.Tests;

/// <summary>The service with its BlazeFace model path pointing nowhere: it still standardises (Haar), and says so on /health.</summary>
public sealed class MissingModelApp() : CaptureIngestApp(new Dictionary<string, string?>
{
    ["CaptureIngest:Standardization:BlazeFaceModelPath"] = "/nonexistent/face_detection_back_256x256_barracuda.onnx",
});

public sealed class FaceDetectorHealthTests(MissingModelApp missing) : IClassFixture<MissingModelApp>
{
    [Fact]
    public async Task Without_the_model_health_is_degraded_naming_the_fallback_and_the_pod_stays_ready()
    {
        using var client = missing.Service.CreateClient();

        var health = await client.GetFromJsonAsync<HealthDocument>("/health", JsonSerializerOptions.Web);
        using var ready = await client.GetAsync("/health/ready");

        var entry = health!.Entries[FaceDetectorHealthCheck.Name];
        Assert.Equal("Degraded", entry.Status);
        Assert.Contains("Haar", entry.Description);
        Assert.Contains("/nonexistent/face_detection_back_256x256_barracuda.onnx", entry.Description);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}

public sealed class FaceDetectorInstalledHealthTests(CaptureIngestApp app) : IClassFixture<CaptureIngestApp>
{
    [Fact]
    public async Task With_the_installed_model_health_names_BlazeFace()
    {
        using var client = app.Service.CreateClient();

        var health = await client.GetFromJsonAsync<HealthDocument>("/health", JsonSerializerOptions.Web);

        Assert.Equal("Healthy", health!.Entries[FaceDetectorHealthCheck.Name].Status);
        Assert.Equal("BlazeFace finds the faces", health.Entries[FaceDetectorHealthCheck.Name].Description);
    }
}
