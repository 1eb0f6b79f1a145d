namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>A rectangle in source pixels.</summary>
internal readonly record struct CropRect(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;
}
