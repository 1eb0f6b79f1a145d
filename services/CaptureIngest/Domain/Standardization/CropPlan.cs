namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// Where to crop the source (in its display-orientation pixels). <see cref="Ideal"/> puts eyes, face and hair on their
/// targets; <see cref="Actual"/> is that crop moved (and if need be shrunk) to lie inside the frame.
/// </summary>
internal sealed record CropPlan(CropRect Ideal, CropRect Actual, double OutsideFraction, string? OutsideEdge, bool TooClose, double SourceScale)
{
    /// <summary>Output pixels per source pixel of the actual crop.</summary>
    public double OutputScale(int outputWidth) => outputWidth / Actual.Width;
}
