using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// Faces and eyes with MediaPipe BlazeFace (the 256×256 "back camera" model, ONNX, through ONNX Runtime on the CPU), in two
/// stages: the faces on a 256 px copy of the whole frame (counted there), then each face again on a square crop around
/// it, where it fills the model's input and its eye keypoints are accurate (on the whole frame a far face is ~9 px wide
/// and its eyes are guesses). One session per process, shared by every worker: <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, and each run uses one thread (the workers already run in parallel).
/// </summary>
internal sealed class BlazeFaceDetector : IFaceDetector
{
    // The model's two heads: 16×16 cells × 2 anchors and 8×8 cells × 6 anchors, each anchor 16 values (box centre offset,
    // width, height, then 6 keypoints: the eye on the image's left, the other eye, nose tip, mouth, left and right ear
    // tragion), in input pixels from the anchor (the cell's centre).
    private static readonly (int Cells, int Anchors)[] Heads = [(16, 2), (8, 6)];

    private readonly StandardizationOptions options;
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string[] outputNames;
    private readonly int size;

    // Runs share the session (read lock); Dispose waits for those in flight (write lock). A host that stops while a
    // worker is still inside an inference must not free the native session under it: that is a segfault, not an
    // exception (seen once in the tests, in libonnxruntime.so, when a test's service stopped mid-photo).
    private readonly ReaderWriterLockSlim gate = new();
    private bool disposed;

    public BlazeFaceDetector(string modelPath, StandardizationOptions options)
    {
        this.options = options;
        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        session = new InferenceSession(modelPath, sessionOptions);
        try
        {
            var input = session.InputMetadata.Single();
            inputName = input.Key;
            var dims = input.Value.Dimensions;
            if (dims is not [_, var h, var w, 3] || h != w)
            {
                throw new InvalidDataException($"{modelPath}: expected a BlazeFace model with an NHWC square RGB input, found [{string.Join(",", dims)}]");
            }

            size = h;
            // Outputs by shape: scores [1, n, 1] and boxes [1, n, 16] for n = 512 and 384 anchors.
            string Output(int anchors, int values) => session.OutputMetadata
                .Single(o => o.Value.Dimensions is [_, var n, var v] && n == anchors && v == values).Key;
            outputNames = [Output(512, 1), Output(512, 16), Output(384, 1), Output(384, 16)];
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public FaceDetectorKind Kind => FaceDetectorKind.BlazeFace;

    public IReadOnlyList<DetectedFace> Detect(DecodedPhoto photo, IDictionary<string, double> timings, CancellationToken ct) =>
        Find(photo, timings, ct).Select(f => ToStandardBox(f.Refined ?? f.Whole)).ToList();

    /// <summary>Every face of the whole frame (display pixels, largest first), and the second look's detection of it (null if none was made or found).</summary>
    internal List<(Candidate Whole, Candidate? Refined)> Find(DecodedPhoto photo, IDictionary<string, double> timings, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var copy = photo.SmallCopy(size);
        var input = new float[size * size * 3];
        var (ox, oy) = ((size - copy.Width) / 2, (size - copy.Height) / 2);
        Fill(input, copy, ox, oy);
        timings["detect.copy"] = Lap(clock);

        // Stage 1: the faces in the whole frame, letterboxed; back to display pixels.
        var k = (double)photo.DisplayWidth / copy.Width;
        var found = Suppress(Infer(input).Where(c => c.Score >= options.BlazeFaceMinScore))
            .Select(c => c.Map(t => ((t.X - ox) * k, (t.Y - oy) * k)))
            .OrderByDescending(c => c.Width * c.Height)
            .ToList();
        timings["detect.blazeface"] = Lap(clock);

        // Stage 2: each face again on a square around it, where the keypoints are accurate.
        var faces = new List<(Candidate, Candidate?)>(found.Count);
        foreach (var face in found)
        {
            ct.ThrowIfCancellationRequested();
            faces.Add((face, faces.Count < options.BlazeFaceMaxRefined ? Refine(photo, face, input) : null));
        }

        timings["detect.refine"] = Lap(clock);
        return faces;
    }

    /// <summary>The face on a square crop of <see cref="StandardizationOptions.BlazeFaceRefineCrop"/> × its box around it; null if the model does not find it there.</summary>
    private Candidate? Refine(DecodedPhoto photo, Candidate face, float[] input)
    {
        var side = options.BlazeFaceRefineCrop * Math.Max(face.Width, face.Height);
        var square = new CropRect(face.CentreX - side / 2, face.CentreY - side / 2, side, side);
        var (pixels, x, y, scale) = photo.Region(square, size / side);
        var (ox, oy) = ((int)Math.Round((x - square.X) * scale), (int)Math.Round((y - square.Y) * scale));
        Fill(input, pixels, ox, oy);

        // The crop's own face: the best-scoring detection that overlaps where the first stage put it.
        var expected = face.Map(p => ((p.X - x) * scale + ox, (p.Y - y) * scale + oy));
        var best = Best(Infer(input));
        if (best is not null && options.BlazeFaceRefineMirrored)
        {
            // The same crop mirrored: the keypoints' errors are partly the model's own asymmetry, which the mean of both cancels.
            Mirror(input);
            var mirrored = Best(Infer(input).Select(c => new Candidate(size - c.CentreX, c.CentreY, c.Width, c.Height, c.Score,
                (size - c.RightEye.X, c.RightEye.Y), (size - c.LeftEye.X, c.LeftEye.Y))));
            if (mirrored is not null)
            {
                best = new Candidate((best.CentreX + mirrored.CentreX) / 2, (best.CentreY + mirrored.CentreY) / 2,
                    (best.Width + mirrored.Width) / 2, (best.Height + mirrored.Height) / 2, Math.Min(best.Score, mirrored.Score),
                    Mean(best.LeftEye, mirrored.LeftEye), Mean(best.RightEye, mirrored.RightEye));
            }
        }

        return best?.Map(t => (x + (t.X - ox) / scale, y + (t.Y - oy) / scale));

        Candidate? Best(IEnumerable<Candidate> found) => found
            .Where(c => c.Score >= options.BlazeFaceRefineMinScore && Iou(c, expected) >= 0.3)
            .MaxBy(c => c.Score);

        static (double X, double Y) Mean((double X, double Y) a, (double X, double Y) b) => ((a.X + b.X) / 2, (a.Y + b.Y) / 2);
    }

    /// <summary>Mirrors the NHWC input left to right, in place.</summary>
    private void Mirror(float[] input)
    {
        for (var y = 0; y < size; y++)
        {
            var row = input.AsSpan(y * size * 3, size * 3);
            for (int l = 0, r = size - 1; l < r; l++, r--)
            {
                for (var c = 0; c < 3; c++)
                {
                    (row[l * 3 + c], row[r * 3 + c]) = (row[r * 3 + c], row[l * 3 + c]);
                }
            }
        }
    }

    /// <summary>
    /// BlazeFace's box and keypoints → the standardiser's face box (<see cref="DetectedFace"/>), the one the CHSI targets,
    /// the hair scan and the pixel measures were calibrated on: as wide as Haar's frontal-face box (BlazeFace's is 0.948 of
    /// it), square, with the eye line 0.386 of its height below its top (BlazeFace's box sits lower: its eye line is at
    /// 0.280 of it), centred on BlazeFace's box. Fitted on the 15 test faces both detectors find
    /// (<c>dotnet run -c Release --project tests/Capture.Benchmarks -- blazeface</c>; docs/capture-standardization.md,
    /// "BlazeFace calibration"). The eyes are BlazeFace's keypoints, unchanged.
    /// </summary>
    internal static DetectedFace ToStandardBox(Candidate c)
    {
        var width = c.Width / BlazeFaceWidthPerStandardWidth;
        var height = c.Height / BlazeFaceWidthPerStandardWidth;
        var eyeY = (c.LeftEye.Y + c.RightEye.Y) / 2;
        return new DetectedFace(c.CentreX - width / 2, eyeY - EyeLineInStandardBox * height, width, height, c.LeftEye, c.RightEye);
    }

    /// <summary>BlazeFace's box width ÷ Haar's on the same face (mean of 15 test faces, SD 0.059).</summary>
    internal const double BlazeFaceWidthPerStandardWidth = 0.948;

    /// <summary>Where the eye line lies in Haar's box, as a fraction of its height from the top (mean of 15 test faces, SD 0.008).</summary>
    internal const double EyeLineInStandardBox = 0.386;

    /// <summary>RGB bytes into the NHWC input with their top-left corner at (<paramref name="ox"/>, <paramref name="oy"/>), scaled to [-1, 1]; the rest -1 (black).</summary>
    private void Fill(float[] input, RgbPixels pixels, int ox, int oy)
    {
        input.AsSpan().Fill(-1f);
        var (x0, x1) = (Math.Max(0, ox), Math.Min(size, ox + pixels.Width));
        var (y0, y1) = (Math.Max(0, oy), Math.Min(size, oy + pixels.Height));
        var data = pixels.Data;
        for (var y = y0; y < y1; y++)
        {
            var s = ((y - oy) * pixels.Width + (x0 - ox)) * 3;
            var d = (y * size + x0) * 3;
            for (var i = 0; i < (x1 - x0) * 3; i++)
            {
                input[d + i] = data[s + i] / 127.5f - 1f;
            }
        }
    }

    private List<Candidate> Infer(float[] input)
    {
        var found = new List<Candidate>();
        gate.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var tensor = OrtValue.CreateTensorValueFromMemory(input, [1, size, size, 3]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [inputName], [tensor], outputNames);
            Decode(outputs[0].GetTensorDataAsSpan<float>(), outputs[1].GetTensorDataAsSpan<float>(), Heads[0]);
            Decode(outputs[2].GetTensorDataAsSpan<float>(), outputs[3].GetTensorDataAsSpan<float>(), Heads[1]);
        }
        finally
        {
            gate.ExitReadLock();
        }

        return found;

        void Decode(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, (int Cells, int Anchors) head)
        {
            // Anything the later thresholds could keep (the refinement's is the lower one).
            var floor = Math.Min(options.BlazeFaceMinScore, options.BlazeFaceRefineMinScore);
            for (var i = 0; i < scores.Length; i++)
            {
                var score = 1 / (1 + Math.Exp(-scores[i]));
                if (score < floor)
                {
                    continue;
                }

                var cell = i / head.Anchors;
                var ax = (cell % head.Cells + 0.5) / head.Cells * size;
                var ay = (cell / head.Cells + 0.5) / head.Cells * size;
                var b = boxes.Slice(i * 16, 16);
                found.Add(new Candidate(ax + b[0], ay + b[1], b[2], b[3], score,
                    (ax + b[4], ay + b[5]), (ax + b[6], ay + b[7])));
            }
        }
    }

    /// <summary>The highest-scoring candidate of each overlapping group (IoU ≥ 0.3): one per face.</summary>
    private static List<Candidate> Suppress(IEnumerable<Candidate> candidates)
    {
        var kept = new List<Candidate>();
        foreach (var c in candidates.OrderByDescending(c => c.Score))
        {
            if (kept.All(k => Iou(c, k) < 0.3))
            {
                kept.Add(c);
            }
        }

        return kept;
    }

    private static double Iou(Candidate a, Candidate b)
    {
        var x0 = Math.Max(a.CentreX - a.Width / 2, b.CentreX - b.Width / 2);
        var y0 = Math.Max(a.CentreY - a.Height / 2, b.CentreY - b.Height / 2);
        var x1 = Math.Min(a.CentreX + a.Width / 2, b.CentreX + b.Width / 2);
        var y1 = Math.Min(a.CentreY + a.Height / 2, b.CentreY + b.Height / 2);
        var inter = Math.Max(0, x1 - x0) * Math.Max(0, y1 - y0);
        return inter / (a.Width * a.Height + b.Width * b.Height - inter);
    }

    private static double Lap(Stopwatch clock)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return Math.Round(ms, 1);
    }

    public void Dispose()
    {
        gate.EnterWriteLock();
        try
        {
            if (!disposed)
            {
                disposed = true;
                session.Dispose();
            }
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>One detection: box centre and size, score, and the two eye keypoints (on the image's left and right).</summary>
    internal sealed record Candidate(double CentreX, double CentreY, double Width, double Height, double Score, (double X, double Y) LeftEye, (double X, double Y) RightEye)
    {
        /// <summary>The same detection under a change of coordinates that only moves and scales (equally in x and y).</summary>
        public Candidate Map(Func<(double X, double Y), (double X, double Y)> f)
        {
            var (cx, cy) = f((CentreX, CentreY));
            var (ex, _) = f((CentreX + Width, CentreY));
            var s = (ex - cx) / Width;
            return new Candidate(cx, cy, Width * s, Height * s, Score, f(LeftEye), f(RightEye));
        }
    }
}
