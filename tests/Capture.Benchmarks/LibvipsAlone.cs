using Capture.CaptureIngest.Domain.Standardization;

namespace Capture.Benchmarks;

/// <summary>
/// The two libvips-only baselines the photo benchmarks compare the standardisation with. <see cref="CentreCrop"/>: the
/// cheapest 480×640 JPEG libvips makes from the photo (shrink-on-load as far as 480×640 allows, centre crop, one
/// encode). <see cref="SameCrop"/>: exactly the standardiser's own decode (its shrink-on-load factor), crop (the
/// rectangle it chose for the face), scale to 480×640 and one encode at the quality it chose, with nothing else (no
/// detection, no measures, no size search): "the same decode-crop-encode" of issue 8.
/// </summary>
internal static class LibvipsAlone
{
    public static void CentreCrop(string path)
    {
        using var thumb = NetVips.Image.Thumbnail(path, 480, height: 640, crop: NetVips.Enums.Interesting.Centre);
        _ = thumb.JpegsaveBuffer(q: 90, keep: NetVips.Enums.ForeignKeep.None);
    }

    /// <summary>What the standardiser did with this photo (an upright JPEG): its decode factor, its crop, its JPEG quality.</summary>
    public sealed record Plan(int Shrink, int X, int Y, int Width, int Height, int Quality);

    public static Plan PlanOf(PhotoStandardizer standardizer, string path)
    {
        var result = standardizer.Standardize(path);
        if (result.Crop is not { } crop)
        {
            throw new InvalidOperationException($"The standardiser rejected the benchmark photo: {result.RejectReason}");
        }

        var s = result.DecodeShrink;
        var x = (int)Math.Max(0, Math.Floor(crop.X / s));
        var y = (int)Math.Max(0, Math.Floor(crop.Y / s));
        return new Plan(s, x, y, (int)Math.Min(Math.Round(crop.Width / s), result.SourceWidth / s - x), (int)Math.Min(Math.Round(crop.Height / s), result.SourceHeight / s - y), result.JpegQuality);
    }

    public static void SameCrop(string path, Plan plan)
    {
        using var loaded = NetVips.Image.NewFromFile(path, access: NetVips.Enums.Access.Sequential, kwargs: new NetVips.VOption { { "shrink", plan.Shrink } });
        using var region = loaded.Crop(plan.X, plan.Y, plan.Width, plan.Height);
        using var scaled = region.Resize(480.0 / plan.Width, vscale: 640.0 / plan.Height);
        _ = scaled.JpegsaveBuffer(q: plan.Quality, keep: NetVips.Enums.ForeignKeep.None);
    }
}
