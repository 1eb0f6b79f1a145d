using Capture.CaptureIngest.Domain.Standardization;

namespace Capture.CaptureIngest.Tests.Standardization;

/// <summary>One standardiser for a test class, as a service holds one for all its workers.</summary>
public sealed class StandardizerFixture : IDisposable
{
    public StandardizationOptions Options { get; } = new();

    public PhotoStandardizer Standardizer { get; }

    public StandardizerFixture() => Standardizer = new PhotoStandardizer(Options);

    public void Dispose() => Standardizer.Dispose();
}
