namespace Capture.Payment.Apis;

/// <summary>Request bodies read whole (files, notifies) with a ceiling: a declared length over it is refused unread, and reading stops at the ceiling.</summary>
public static class RequestBody
{
    /// <summary>The body's bytes, or null when it is (or claims to be) longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[Math.Min(81920, maxBytes + 1)];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
