namespace Capture.CaptureIngest.Domain;

/// <summary>Input limits, equal to the columns' lengths and the contract's ranges.</summary>
public static class Limits
{
    /// <summary>Station code (≤ 8) + '-' + running number: <c>B2-0137</c>, <c>B1-10000</c>.</summary>
    public const int ShootNumber = 24;

    public const int MaxShotIndex = 99;

    public const int Reason = 500;

    /// <summary>Free text a person typed: no control characters (PostgreSQL refuses NUL; the rest corrupt lists and logs).</summary>
    public static bool IsCleanText(string value) => !value.Any(c => char.IsControl(c) && c is not '\n' and not '\t');

    /// <summary>60 MB: a 50-megapixel camera JPEG with room to spare.</summary>
    public const long MaxPhotoBytes = 60L * 1024 * 1024;

    /// <summary>Pixels above this are refused from the header, before anything is decoded (a decompression bomb).</summary>
    public const long MaxPixels = 100_000_000;
}
