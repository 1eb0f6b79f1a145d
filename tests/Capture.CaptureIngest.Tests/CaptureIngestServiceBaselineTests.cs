using Capture.Testing;

namespace Capture.CaptureIngest.Tests;

/// <summary>The platform baseline (health, migrations, endpoint policies, 401/403) on the CaptureIngest service itself.</summary>
public sealed class CaptureIngestServiceBaselineTests() : ServiceBaselineTests<Program>("capturedb", "/api/capture", usesObjectStorage: true);
