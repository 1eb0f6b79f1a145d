namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>The names of the quality measures, as they appear in reports and on the station's screen.</summary>
public static class QualityMeasureNames
{
    public const string FaceCount = "face_count";
    public const string FaceWidth = "face_width";
    public const string EyeHeight = "eye_height";
    public const string HairTop = "hair_top";
    public const string Framing = "framing";
    public const string HeadRoll = "head_roll";
    public const string BackgroundUniformity = "background_uniformity";
    public const string BackgroundColour = "background_colour";
    public const string Sharpness = "sharpness";
    public const string Exposure = "exposure";
    public const string HighlightClipping = "highlight_clipping";
    public const string ColourCast = "colour_cast";
    public const string FileSize = "file_size";
}
