using System.Security.Cryptography;

namespace Capture.ServiceDefaults.Tests.Storage;

/// <summary>
/// A non-seekable stream of <paramref name="length"/> pseudo-random bytes made on the fly (so the test itself holds no
/// copy of the file), hashing what it hands out.
/// </summary>
public sealed class GeneratedStream(long length, int seed) : Stream
{
    private readonly Random random = new(seed);
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public byte[] Sha256() => hash.GetCurrentHash();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - position);
        if (n <= 0)
        {
            return 0;
        }

        random.NextBytes(buffer.AsSpan(offset, n));
        hash.AppendData(buffer, offset, n);
        position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
