namespace Capture.StationAgent.Core;

/// <summary>What a file in the hot folder is: a finished JPEG or PNG, one still being written, or no image at all.</summary>
public enum ImageFileState
{
    Complete,
    Incomplete,
    NotImage,
}

public sealed record ImageFileCheck(ImageFileState State, string? ContentType, string Description);

/// <summary>
/// Reads a file's header and trailer the way CaptureIngest judges an upload (JPEG SOI … EOI, PNG signature … IEND), so
/// a file the camera is still writing is not sent, and a file the server would refuse is reported instead.
/// </summary>
public static class ImageFile
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] PngEnd = [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];

    public static ImageFileCheck Check(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
        var length = file.Length;
        if (length == 0)
        {
            return new(ImageFileState.Incomplete, null, "empty so far");
        }

        var head = new byte[(int)Math.Min(16, length)];
        file.ReadExactly(head);
        var tail = new byte[(int)Math.Min(1024, length)];
        file.Seek(-tail.Length, SeekOrigin.End);
        file.ReadExactly(tail);

        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            // The end marker, possibly followed by padding some cameras add.
            var end = tail.Length - 1;
            while (end > 0 && tail[end] == 0x00)
            {
                end--;
            }

            return end >= 1 && tail[end - 1] == 0xFF && tail[end] == 0xD9
                ? new(ImageFileState.Complete, "image/jpeg", "JPEG")
                : new(ImageFileState.Incomplete, "image/jpeg", "JPEG without its end marker yet");
        }

        if (head.Length >= 8 && head.AsSpan(0, 8).SequenceEqual(PngSignature))
        {
            return tail.Length >= 8 && tail.AsSpan(tail.Length - 8).SequenceEqual(PngEnd)
                ? new(ImageFileState.Complete, "image/png", "PNG")
                : new(ImageFileState.Incomplete, "image/png", "PNG without its IEND chunk yet");
        }

        if (head.Length < 8 && (head[0] == 0xFF || head[0] == 0x89))
        {
            return new(ImageFileState.Incomplete, null, "too short to tell yet");
        }

        return new(ImageFileState.NotImage, null, Describe(head));
    }

    private static string Describe(byte[] head)
    {
        bool Starts(string ascii) => head.Length >= ascii.Length && head.AsSpan(0, ascii.Length).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(ascii));
        if (Starts("%PDF"))
        {
            return "a PDF, not a photo";
        }

        if (head.Length >= 12 && System.Text.Encoding.ASCII.GetString(head, 4, 4) == "ftyp")
        {
            return "HEIF/HEIC (set the camera to JPEG)";
        }

        if (Starts("II*\0") || Starts("MM\0*"))
        {
            return "TIFF or camera RAW (set the camera to JPEG, or RAW+JPEG)";
        }

        return "not a JPEG or PNG";
    }
}
