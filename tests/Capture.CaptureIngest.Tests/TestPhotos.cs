using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using NetVips;
using QRCoder;

namespace Capture.CaptureIngest.Tests;

/// <summary>
/// Capture-like test photos made at test time from the real portrait in ../shared/photos (a frontal NASA portrait, public
/// domain): a good capture on the CHSI blue backdrop at camera size, and variants each made to fail one quality measure,
/// plus broken files. Each is written once per test run to a temporary folder; the properties return file paths.
/// </summary>
public static class TestPhotos
{
    /// <summary>CHSI light blue, the backdrop of the good photo.</summary>
    public static readonly (byte R, byte G, byte B) Blue = (100, 197, 255);

    // The good composition: the 512×512 portrait at the bottom centre of a 640×960 blue canvas (room above the head),
    // scaled ×6.25 to a 4000×6000 camera frame. Portrait coordinates of the head, read off the image: face ≈ x 175–280,
    // eyes ≈ y 105, top of hair ≈ y 15.
    private const int CanvasWidth = 640;
    private const int CanvasHeight = 960;
    private const int PortraitX = 64;
    private const int PortraitY = 448;
    private const double CameraScale = 6.25;

    private static readonly ConcurrentDictionary<string, Lazy<string>> Cache = new();
    private static readonly Lazy<string> Folder = new(() =>
    {
        // A run leaves ~100 MB of camera-size JPEGs: folders of test processes that have exited are removed first.
        foreach (var old in System.IO.Directory.EnumerateDirectories(Path.GetTempPath(), "capture-test-photos-*"))
        {
            if (int.TryParse(Path.GetFileName(old)["capture-test-photos-".Length..], out var pid) && pid != Environment.ProcessId && !File.Exists($"/proc/{pid}/stat"))
            {
                try
                {
                    System.IO.Directory.Delete(old, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }

        var dir = Path.Combine(Path.GetTempPath(), $"capture-test-photos-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    });

    /// <summary>The folder the photos are written to (one per test process).</summary>
    public static string Directory => Folder.Value;

    /// <summary>The 512×512 source portrait.</summary>
    public static string PortraitPath => Path.Combine(RepoRoot(), "..", "shared", "photos", "portrait-eileen-collins.png");

    /// <summary>A good capture: 4000×6000 (portrait orientation) JPEG q90, blue backdrop, the face centred with room above.</summary>
    public static string Good => Make("good.jpg", () => Camera(GoodCanvas(), CameraScale));

    /// <summary>The good capture as a 6000×4000 landscape frame (a 24 MP camera held level).</summary>
    public static string GoodLandscape => Make("good-landscape.jpg", () =>
    {
        var canvas = BlueCanvas(960, 640);
        Paste(canvas, RecolouredPortrait(Blue), 224, 128);
        return Camera(canvas, CameraScale);
    });

    /// <summary>The good capture stored on its side with EXIF orientation 6: displays upright, must pass.</summary>
    public static string ExifRotated => Make("exif-orientation-6.jpg", () =>
    {
        using var upright = Image.NewFromFile(Good);
        using var sideways = upright.Rot270();
        using var tagged = sideways.Mutate(m => m.Set(GValue.GIntType, "orientation", 6));
        return tagged.JpegsaveBuffer(q: 90, keep: Enums.ForeignKeep.Exif);
    });

    /// <summary>framing: the face whole but so near the left edge that the crop would run off the frame.</summary>
    public static string Shifted => Make("shifted.jpg", () =>
    {
        var canvas = BlueCanvas(CanvasWidth, CanvasHeight);
        Paste(canvas, RecolouredPortrait(Blue), -150, PortraitY);
        return Camera(canvas, CameraScale);
    });

    /// <summary>framing: the face ~160 px wide in a 6000×4000 frame: fewer source pixels than the output needs.</summary>
    public static string TooFar => Make("too-far.jpg", () =>
    {
        var canvas = BlueCanvas(4000, 2667);
        Paste(canvas, RecolouredPortrait(Blue), 1744, 2155);
        return Camera(canvas, 1.5);
    });

    /// <summary>framing: the frame holds only the face and hair: head and shoulders cannot fit.</summary>
    public static string TooClose => Make("too-close.jpg", () => Camera(Crop(RecolouredPortrait(Blue), 135, 8, 190, 250), 16));

    /// <summary>head_roll: the good canvas rotated 15°.</summary>
    public static string Rotated => Make("rotated-15.jpg", () => Camera(Rotate(GoodCanvas(), 15), CameraScale));

    /// <summary>sharpness: the good canvas blurred (σ 2.5 canvas px ≈ 16 px in the 6000 px frame).</summary>
    public static string Blurred => Make("blurred.jpg", () => Camera(Blur(GoodCanvas(), 2.5), CameraScale));

    /// <summary>A good capture a little soft (four parts sharp, one part blurred): it still passes, less sharp than <see cref="Good"/>.</summary>
    public static string Softer => Make("softer.jpg", () =>
    {
        var sharp = GoodCanvas();
        var soft = Blur(sharp, 2.5);
        var data = new byte[sharp.Data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)Math.Round(0.8 * sharp.Data[i] + 0.2 * soft.Data[i]);
        }

        return Camera(sharp with { Data = data }, CameraScale);
    });

    /// <summary>exposure: the good canvas at 30 % brightness.</summary>
    public static string Dark => Make("dark.jpg", () => Camera(Multiply(GoodCanvas(), 0.3, 0.3, 0.3), CameraScale));

    /// <summary>exposure and highlight_clipping: the good canvas at 145 % brightness, clipped.</summary>
    public static string OverExposed => Make("over-exposed.jpg", () => Camera(Multiply(GoodCanvas(), 1.45, 1.45, 1.45), CameraScale));

    /// <summary>background_colour: a grey backdrop instead of blue.</summary>
    public static string GreyBackground => Make("grey-background.jpg", () =>
    {
        var grey = ((byte)190, (byte)190, (byte)190);
        var canvas = Canvas(CanvasWidth, CanvasHeight, (_, _) => grey);
        Paste(canvas, RecolouredPortrait(grey), PortraitX, PortraitY);
        return Camera(canvas, CameraScale);
    });

    /// <summary>background_uniformity: the backdrop in vertical stripes of light and dark blue.</summary>
    public static string StripedBackground => Make("striped-background.jpg", () =>
    {
        var canvas = GoodCanvas();
        var dark = ((byte)40, (byte)90, (byte)150);
        var rng = new Random(7);
        for (var y = 0; y < canvas.Height; y++)
        {
            for (var x = 0; x < canvas.Width; x++)
            {
                var i = (y * canvas.Width + x) * 3;
                if (x / 24 % 2 == 1 && Near(canvas.Data, i, Blue, 40))
                {
                    SetNoisy(canvas.Data, i, dark, rng);
                }
            }
        }

        return Camera(canvas, CameraScale);
    });

    /// <summary>colour_cast: red up 30 %, blue down 45 % (a tungsten white balance).</summary>
    public static string ColourCast => Make("colour-cast.jpg", () => Camera(Multiply(GoodCanvas(), 1.3, 1.0, 0.55), CameraScale));

    /// <summary>face_count: two students side by side.</summary>
    public static string TwoFaces => Make("two-faces.jpg", () =>
    {
        var canvas = BlueCanvas(1200, 960);
        var portrait = RecolouredPortrait(Blue);
        Paste(canvas, portrait, 40, PortraitY);
        Paste(canvas, portrait, 640, PortraitY);
        return Camera(canvas, 5);
    });

    /// <summary>No face: a crop of the suit (badge, collar, helmet) on the blue backdrop.</summary>
    public static string NoFace => Make("no-face.jpg", () =>
    {
        var canvas = BlueCanvas(640, 960);
        Paste(canvas, Crop(RecolouredPortrait(Blue), 0, 300, 512, 212), 64, 600);
        return Camera(canvas, CameraScale);
    });

    /// <summary>No face: plain noise.</summary>
    public static string Noise => Make("noise.jpg", () =>
    {
        var rng = new Random(11);
        var canvas = Canvas(400, 300, (_, _) => ((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)));
        return Camera(canvas, 10);
    });

    /// <summary>The good JPEG cut off after 40 % of its bytes (an interrupted transfer).</summary>
    public static string Truncated => Make("truncated.jpg", () =>
    {
        var bytes = File.ReadAllBytes(Good);
        return bytes[..(int)(bytes.Length * 0.4)];
    });

    /// <summary>A zero-byte file.</summary>
    public static string Empty => Make("empty.jpg", () => []);

    /// <summary>A tiny PNG whose header claims 30000×30000 RGB (2.7 GB of pixels): must be refused from the header.</summary>
    public static string DecompressionBomb => Make("bomb-30000.png", () => PngBomb(30000, 30000));

    /// <summary>The good capture with a QR code (a capture-code card held up at chest height) carrying <paramref name="text"/>.</summary>
    public static string WithQrCode(string text) => Make($"qr-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16]}.jpg", () =>
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        using var qr = Image.NewFromBuffer(png);
        using var sized = qr.ThumbnailImage(220, height: 220);
        var code = ToPixels(sized);
        var canvas = GoodCanvas();
        Paste(canvas, code, 210, 720);
        return Camera(canvas, CameraScale);
    });

    /// <summary>The bytes of one of the photos.</summary>
    public static byte[] Bytes(string path) => File.ReadAllBytes(path);

    /// <summary>The folder that holds Capture.sln, walking up from the test assembly.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Capture.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Capture.sln not found above {AppContext.BaseDirectory}");
    }

    private static string Make(string name, Func<byte[]> create) => Cache.GetOrAdd(name, n => new Lazy<string>(() =>
    {
        var path = Path.Combine(Directory, n);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, create());
        File.Move(temp, path, overwrite: true);
        return path;
    })).Value;

    private sealed record Pixels(byte[] Data, int Width, int Height);

    private static Pixels GoodCanvas()
    {
        var canvas = BlueCanvas(CanvasWidth, CanvasHeight);
        Paste(canvas, RecolouredPortrait(Blue), PortraitX, PortraitY);
        return canvas;
    }

    private static Pixels BlueCanvas(int width, int height) => Canvas(width, height, (_, _) => Blue);

    private static Pixels Canvas(int width, int height, Func<int, int, (byte R, byte G, byte B)> colourAt)
    {
        var rng = new Random(width * 31 + height);
        var data = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                SetNoisy(data, (y * width + x) * 3, colourAt(x, y), rng);
            }
        }

        return new Pixels(data, width, height);
    }

    /// <summary>
    /// The portrait with its grey studio backdrop turned into <paramref name="colour"/>: a flood fill from the top and side
    /// edges over low-saturation light pixels, so it stops at the hair and face outline and never reaches the eyes or teeth.
    /// </summary>
    private static Pixels RecolouredPortrait((byte R, byte G, byte B) colour)
    {
        using var source = Image.NewFromFile(PortraitPath);
        var p = ToPixels(source);
        var rng = new Random(3);
        var done = new bool[p.Width * p.Height];
        var queue = new Queue<(int X, int Y)>();
        const int lowest = 330; // below the shoulders the suit and helmet take over: stop there

        bool Backdrop(int x, int y)
        {
            var i = (y * p.Width + x) * 3;
            int r = p.Data[i], g = p.Data[i + 1], b = p.Data[i + 2];
            var chroma = Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b));
            return chroma < 40 && 0.299 * r + 0.587 * g + 0.114 * b > 105;
        }

        void Seed(int x, int y)
        {
            if (!done[y * p.Width + x] && Backdrop(x, y))
            {
                done[y * p.Width + x] = true;
                queue.Enqueue((x, y));
            }
        }

        for (var x = 0; x < p.Width; x++)
        {
            Seed(x, 0);
        }

        for (var y = 0; y < lowest; y++)
        {
            Seed(0, y);
            Seed(p.Width - 1, y);
        }

        while (queue.TryDequeue(out var q))
        {
            SetNoisy(p.Data, (q.Y * p.Width + q.X) * 3, colour, rng);
            if (q.X > 0) Seed(q.X - 1, q.Y);
            if (q.X < p.Width - 1) Seed(q.X + 1, q.Y);
            if (q.Y > 0) Seed(q.X, q.Y - 1);
            if (q.Y < lowest - 1) Seed(q.X, q.Y + 1);
        }

        return p;
    }

    private static void SetNoisy(byte[] data, int i, (byte R, byte G, byte B) c, Random rng)
    {
        var n = rng.Next(-4, 5);
        data[i] = Clamp(c.R + n + rng.Next(-2, 3));
        data[i + 1] = Clamp(c.G + n + rng.Next(-2, 3));
        data[i + 2] = Clamp(c.B + n + rng.Next(-2, 3));
    }

    private static bool Near(byte[] d, int i, (byte R, byte G, byte B) c, int distance)
    {
        int dr = d[i] - c.R, dg = d[i + 1] - c.G, db = d[i + 2] - c.B;
        return dr * dr + dg * dg + db * db < distance * distance;
    }

    private static byte Clamp(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private static void Paste(Pixels canvas, Pixels sub, int left, int top)
    {
        for (var y = 0; y < sub.Height; y++)
        {
            var cy = top + y;
            if (cy < 0 || cy >= canvas.Height)
            {
                continue;
            }

            for (var x = 0; x < sub.Width; x++)
            {
                var cx = left + x;
                if (cx >= 0 && cx < canvas.Width)
                {
                    Array.Copy(sub.Data, (y * sub.Width + x) * 3, canvas.Data, (cy * canvas.Width + cx) * 3, 3);
                }
            }
        }
    }

    private static Pixels Crop(Pixels p, int left, int top, int width, int height)
    {
        var data = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            Array.Copy(p.Data, ((top + y) * p.Width + left) * 3, data, y * width * 3, width * 3);
        }

        return new Pixels(data, width, height);
    }

    private static Pixels Multiply(Pixels p, double r, double g, double b)
    {
        var data = new byte[p.Data.Length];
        for (var i = 0; i < data.Length; i += 3)
        {
            data[i] = Clamp(p.Data[i] * r);
            data[i + 1] = Clamp(p.Data[i + 1] * g);
            data[i + 2] = Clamp(p.Data[i + 2] * b);
        }

        return p with { Data = data };
    }

    private static Pixels Blur(Pixels p, double sigma)
    {
        using var img = FromPixels(p);
        using var blurred = img.Gaussblur(sigma);
        return ToPixels(blurred);
    }

    private static Pixels Rotate(Pixels p, double degrees)
    {
        using var img = FromPixels(p);
        using var rotated = img.Rotate(degrees, background: [Blue.R, Blue.G, Blue.B]);
        using var centre = rotated.Crop((rotated.Width - p.Width) / 2, (rotated.Height - p.Height) / 2, p.Width, p.Height);
        return ToPixels(centre);
    }

    private static Image FromPixels(Pixels p) =>
        Image.NewFromMemory(p.Data, p.Width, p.Height, 3, Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);

    private static Pixels ToPixels(Image image)
    {
        using var flat = image.HasAlpha() ? image.Flatten(background: [255, 255, 255]) : image.Copy();
        using var srgb = flat.Bands == 3 && flat.Interpretation == Enums.Interpretation.Srgb ? flat.Copy() : flat.Colourspace(Enums.Interpretation.Srgb);
        using var bytes = srgb.Format == Enums.BandFormat.Uchar ? srgb.Copy() : srgb.Cast(Enums.BandFormat.Uchar);
        return new Pixels(bytes.WriteToMemory<byte>(), bytes.Width, bytes.Height);
    }

    /// <summary>Scales a canvas up to camera size and encodes it like a camera (JPEG q90).</summary>
    private static byte[] Camera(Pixels canvas, double scale)
    {
        using var img = FromPixels(canvas);
        using var big = img.Resize(scale, kernel: Enums.Kernel.Linear);
        return big.JpegsaveBuffer(q: 90);
    }

    private static byte[] PngBomb(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // RGB
        Chunk(png, "IHDR", ihdr);
        using (var idat = new MemoryStream())
        {
            using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                z.Write(new byte[(width * 3 + 1) * 16]); // 16 rows of zeros; a decoder would inflate 2.7 GB
            }

            Chunk(png, "IDAT", idat.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, head.AsSpan(4));
        s.Write(head);
        s.Write(data);
        var crc = Crc32(head.AsSpan(4).ToArray().Concat(data).ToArray());
        var tail = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        s.Write(tail);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
