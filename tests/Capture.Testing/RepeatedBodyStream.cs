using System.Text;

namespace Capture.Testing;

/// <summary>
/// A body made on the fly as <c>head + unit × count + tail</c> (the test holds one copy of each part, never the body),
/// counting how much of it the server pulled: a test can show that a server stopped reading early.
/// </summary>
public sealed class RepeatedBodyStream(string head, string unit, long count, string tail) : Stream
{
    private readonly byte[] head = Encoding.UTF8.GetBytes(head);
    private readonly byte[] unit = Encoding.UTF8.GetBytes(unit);
    private readonly byte[] tail = Encoding.UTF8.GetBytes(tail);
    private long position;

    public long BodyLength => head.Length + (unit.Length * count) + tail.Length;

    /// <summary>How many bytes were read from this stream so far.</summary>
    public long BytesRead => Interlocked.Read(ref position);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => BodyLength;

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, BodyLength - position);
        for (var i = 0; i < n; i++)
        {
            buffer[offset + i] = ByteAt(position + i);
        }

        Interlocked.Add(ref position, n);
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private byte ByteAt(long at)
    {
        if (at < head.Length)
        {
            return head[at];
        }

        at -= head.Length;
        var units = unit.LongLength * count;
        return at < units ? unit[at % unit.Length] : tail[at - units];
    }
}
