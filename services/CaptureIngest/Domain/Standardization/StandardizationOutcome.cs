namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>What standardisation made of a photo.</summary>
public enum StandardizationOutcome
{
    /// <summary>A 480×640 JPEG was made; the quality report says whether it passes.</summary>
    Standardized,

    /// <summary>No usable output: the file is not a readable image, is too large to decode, or shows no face.</summary>
    Rejected,
}
