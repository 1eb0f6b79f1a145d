namespace Capture.Testing;

/// <summary>
/// A JPEG-shaped body of any length made on the fly (the test holds no copy): SOI, a SOF0 header for 4000×3000, filler,
/// EOI. It passes the upload's header and trailer checks; no decoder can make a picture of it.
/// </summary>
public sealed class SyntheticJpegStream(long length) : Stream
{
    private static readonly byte[] Head = [0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, 0x0B, 0xB8, 0x0F, 0xA0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
    private long position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - position);
        for (var i = 0; i < n; i++)
        {
            buffer[offset + i] = ByteAt(position + i);
        }

        position += n;
        return n;
    }

    private byte ByteAt(long at)
    {
        if (at < Head.Length) return Head[at];
        if (at >= length - 2) return at == length - 2 ? (byte)0xFF : (byte)0xD9;
        return (byte)(at % 251 == 0 ? 0x00 : 0x5A);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
