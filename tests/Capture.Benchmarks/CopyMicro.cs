using System.Diagnostics;
using System.Globalization;
using System.Text;
using Capture.CaptureIngest.Tests;
using NetVips;

namespace Capture.Benchmarks;

public static class CopyMicro
{
    public static string Run()
    {
        NetVips.Cache.Max = 0;
        var sb = new StringBuilder();
        var path = TestPhotos.GoodLandscape;
        void Time(string name, Action a)
        {
            a();
            var p = Process.GetCurrentProcess();
            p.Refresh();
            var c0 = p.TotalProcessorTime;
            var w = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++)
            {
                a();
            }

            p.Refresh();
            sb.AppendLine(CultureInfo.InvariantCulture, $"{name}: CPU {(p.TotalProcessorTime - c0).TotalMilliseconds / 20:0.00} ms, wall {w.Elapsed.TotalMilliseconds / 20:0.00} ms");
        }

        foreach (var shrink in new[] { 2, 4, 8 })
        {
            Time($"decode shrink {shrink} to memory", () =>
            {
                using var l = NetVips.Image.NewFromFile(path, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated, kwargs: new VOption { { "shrink", shrink } });
                using var m = l.CopyMemory();
            });
        }

        Time("libvips alone (thumbnail crop + jpeg)", () =>
        {
            using var thumb = NetVips.Image.Thumbnail(path, 480, height: 640, crop: Enums.Interesting.Centre);
            _ = thumb.JpegsaveBuffer(q: 90, keep: Enums.ForeignKeep.None);
        });

        using var loaded = NetVips.Image.NewFromFile(path, access: Enums.Access.Sequential, kwargs: new VOption { { "shrink", 2 } });
        using var memory = loaded.CopyMemory();
        Time("ThumbnailImage 480", () => { using var t = memory.ThumbnailImage(480, height: 480, size: Enums.Size.Down); _ = t.WriteToMemory<byte>(); });
        Time("ThumbnailImage 256", () => { using var t = memory.ThumbnailImage(256, height: 256, size: Enums.Size.Down); _ = t.WriteToMemory<byte>(); });
        Time("Shrink 6", () => { using var t = memory.Shrink(6, 6); _ = t.WriteToMemory<byte>(); });
        Time("Shrink 12", () => { using var t = memory.Shrink(12, 12); _ = t.WriteToMemory<byte>(); });
        Time("Resize 0.16 linear", () => { using var t = memory.Resize(0.16, kernel: Enums.Kernel.Linear); _ = t.WriteToMemory<byte>(); });
        Time("Subsample 6 then shrink", () => { using var t = memory.Subsample(3, 3); using var u = t.Shrink(2, 2); _ = u.WriteToMemory<byte>(); });
        Time("Region 1120 → 256 linear", () => { using var c = memory.Crop(900, 100, 1120, 1120); using var t = c.Resize(256.0 / 1120, kernel: Enums.Kernel.Linear); _ = t.WriteToMemory<byte>(); });
        Time("Region 1120 → 256 shrink+reduce", () => { using var c = memory.Crop(900, 100, 1120, 1120); using var t = c.ThumbnailImage(256); _ = t.WriteToMemory<byte>(); });
        var t480 = memory.ThumbnailImage(480, height: 480, size: Enums.Size.Down).CopyMemory();
        Time("256 from the 480 copy", () => { using var t = t480.ThumbnailImage(256, height: 256, size: Enums.Size.Down); _ = t.WriteToMemory<byte>(); });
        return sb.ToString();
    }
}
