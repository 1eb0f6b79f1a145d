using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Capture.ServiceDefaults.Security;

/// <summary>What a scanned capture code says, once its signature checks out.</summary>
public readonly record struct CaptureCodeClaim(Guid RegistrationId, int Version);

/// <summary>
/// Capture codes (采集码): <c>C1</c> followed by base64url of registration id (16 bytes), code version (4 bytes) and an
/// HMAC-SHA256 of both truncated to 16 bytes — 50 characters. The id is a random-looking UUID, so the code carries
/// no readable personal data; it has no expiry (004 §3); it cannot be forged without the key; revocation and
/// re-issue work through the version kept on the registration, so a code can be stopped without changing the key.
/// </summary>
public sealed class CaptureCodeSigner
{
    public const string Prefix = "C1";
    private const int PayloadLength = 20;
    private const int MacLength = 16;
    private readonly byte[] key;

    public CaptureCodeSigner(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("A capture code key has at least 32 bytes.", nameof(key));
        }

        this.key = key;
    }

    public string Issue(Guid registrationId, int version)
    {
        Span<byte> buffer = stackalloc byte[PayloadLength + MacLength];
        registrationId.TryWriteBytes(buffer[..16], bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(buffer[16..PayloadLength], version);
        Mac(buffer[..PayloadLength], buffer[PayloadLength..]);
        return Prefix + Base64Url.EncodeToString(buffer);
    }

    /// <summary>The length of every capture code: the prefix and 48 base64url characters.</summary>
    public static readonly int Length = Prefix.Length + Base64Url.GetEncodedLength(PayloadLength + MacLength);

    /// <summary>
    /// Why <paramref name="code"/> cannot be a capture code at all (wrong prefix, length or characters), or null when it
    /// has a code's shape; no key is needed, so any service can refuse a malformed scan with a 400 before asking anyone.
    /// </summary>
    public static string? ShapeProblem(string? code)
    {
        code = code?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            return "The capture code is empty: scan the QR code on the student's registration page.";
        }

        if (!code.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return $"A capture code starts with '{Prefix}'; this scan does not, so it is not a Capture QR code (another QR code on the page, perhaps).";
        }

        if (code.Length != Length)
        {
            return $"A capture code has {Length} characters; this scan has {code.Length}: scan the whole QR code again.";
        }

        return code.AsSpan(Prefix.Length).ContainsAnyExcept(Base64UrlCharacters)
            ? "A capture code holds only letters, digits, '-' and '_' after its prefix; this scan has other characters: scan the QR code again."
            : null;
    }

    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>The claim of a genuine code; null for anything this key did not sign (forged, tampered, truncated, not a code).</summary>
    public CaptureCodeClaim? Read(string? code)
    {
        code = code?.Trim();
        if (code is null || code.Length != 2 + Base64Url.GetEncodedLength(PayloadLength + MacLength) || !code.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[PayloadLength + MacLength];
        if (!Base64Url.TryDecodeFromChars(code.AsSpan(2), buffer, out var written) || written != buffer.Length)
        {
            return null;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        Mac(buffer[..PayloadLength], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, buffer[PayloadLength..]))
        {
            return null;
        }

        // Re-encoding must give the same text, so no second spelling of a code (whitespace, say) is accepted.
        if (!string.Equals(Prefix + Base64Url.EncodeToString(buffer), code, StringComparison.Ordinal))
        {
            return null;
        }

        return new CaptureCodeClaim(new Guid(buffer[..16], bigEndian: true), BinaryPrimitives.ReadInt32BigEndian(buffer[16..PayloadLength]));
    }

    private void Mac(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(key, payload, full);
        full[..MacLength].CopyTo(destination);
    }
}
