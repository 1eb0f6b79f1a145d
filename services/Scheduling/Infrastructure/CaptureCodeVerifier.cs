using System.Security.Cryptography;
using System.Text;
using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Capture.Scheduling.Infrastructure;

/// <summary>A capture code resolved to a registration, and how sure we are.</summary>
public sealed record ResolvedCaptureCode(Guid RegistrationId, bool FromLocalCopy, DateTimeOffset? VerifiedAt);

/// <summary>
/// Verifies capture codes with Registration, with a short in-memory cache (a re-scan or a queue of students does not
/// wait on Registration twice) and a fallback: when Registration is unreachable, a code Registration confirmed before
/// (its hash is stored) is accepted against the local copy of the registration, with a warning to the operator. A
/// code never seen before cannot be checked while Registration is down: the operator scans the student card instead.
/// Neither the cache nor the local copy is trusted alone: every answer is checked against the registration's lowest
/// valid code version in the database (<see cref="ApprovedRegistration.CaptureCodesValidFrom"/>), which
/// <c>CaptureCodeRevoked</c> raises once for every instance, so a revoked or replaced code is refused on every instance
/// as soon as the event has arrived, even one verified a second earlier.
/// </summary>
public sealed class CaptureCodeVerifier(RegistrationClient registration, IMemoryCache cache, SchedulingDbContext db, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(3);

    private const string RevokedDetail = "This capture code was revoked or replaced by a newer one: the student opens their current code, or asks their college for a new one.";

    public async Task<(ResolvedCaptureCode? Resolved, CaptureCodeAnswer Answer)> ResolveAsync(string code, string? bearerToken, CancellationToken cancellationToken)
    {
        var hash = Hash(code);
        var key = CacheKey(hash);
        if (cache.TryGetValue(key, out CaptureCodeAnswer? cached) && cached is not null)
        {
            if (cached.Outcome != CaptureCodeOutcome.Verified)
            {
                return (null, cached);
            }

            var verification = cached.Verification!;
            return await HonouredAsync(verification.RegistrationId, verification.CaptureCodeVersion, cancellationToken)
                ? (new ResolvedCaptureCode(verification.RegistrationId, false, null), cached)
                : await RevokedAsync(hash, cancellationToken);
        }

        var answer = await registration.VerifyAsync(code, bearerToken, cancellationToken);
        switch (answer.Outcome)
        {
            case CaptureCodeOutcome.Verified:
                var verification = answer.Verification!;
                // Registration may have answered just before a revocation whose event is already here.
                if (!await HonouredAsync(verification.RegistrationId, verification.CaptureCodeVersion, cancellationToken))
                {
                    return await RevokedAsync(hash, cancellationToken);
                }

                cache.Set(key, answer, CacheFor);
                var now = time.GetUtcNow();
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO scheduling.verified_capture_codes (code_hash, registration_id, verified_at, version) VALUES ({hash}, {verification.RegistrationId}, {now}, {verification.CaptureCodeVersion}) ON CONFLICT (code_hash) DO UPDATE SET registration_id = excluded.registration_id, verified_at = excluded.verified_at, version = excluded.version",
                    cancellationToken);
                return (new ResolvedCaptureCode(verification.RegistrationId, false, now), answer);
            case CaptureCodeOutcome.Revoked:
                cache.Set(key, answer, CacheFor);
                await db.VerifiedCaptureCodes.Where(c => c.CodeHash == hash).ExecuteDeleteAsync(cancellationToken);
                return (null, answer);
            case CaptureCodeOutcome.Invalid:
                return (null, answer);
            default:
                var known = await db.VerifiedCaptureCodes.AsNoTracking().FirstOrDefaultAsync(c => c.CodeHash == hash, cancellationToken);
                if (known is null)
                {
                    return (null, answer);
                }

                return await HonouredAsync(known.RegistrationId, known.Version, cancellationToken)
                    ? (new ResolvedCaptureCode(known.RegistrationId, true, known.VerifiedAt), answer)
                    : await RevokedAsync(hash, cancellationToken);
        }
    }

    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim())));

    public static string CacheKey(string hash) => "capture-code:" + hash;

    private async Task<bool> HonouredAsync(Guid registrationId, int? version, CancellationToken cancellationToken)
    {
        var validFrom = await db.Registrations.AsNoTracking()
            .Where(r => r.RegistrationId == registrationId)
            .Select(r => (int?)r.CaptureCodesValidFrom)
            .FirstOrDefaultAsync(cancellationToken);
        return ApprovedRegistration.Honours(validFrom ?? 0, version);
    }

    private async Task<(ResolvedCaptureCode?, CaptureCodeAnswer)> RevokedAsync(string hash, CancellationToken cancellationToken)
    {
        var answer = new CaptureCodeAnswer(CaptureCodeOutcome.Revoked, Detail: RevokedDetail);
        cache.Set(CacheKey(hash), answer, CacheFor);
        await db.VerifiedCaptureCodes.Where(c => c.CodeHash == hash).ExecuteDeleteAsync(cancellationToken);
        return (null, answer);
    }
}
