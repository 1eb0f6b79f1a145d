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
/// A revoked code is dropped from cache and store at once; another instance may accept it until its cache entry
/// expires (<see cref="CacheFor"/>).
/// </summary>
public sealed class CaptureCodeVerifier(RegistrationClient registration, IMemoryCache cache, SchedulingDbContext db, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(3);

    public async Task<(ResolvedCaptureCode? Resolved, CaptureCodeAnswer Answer)> ResolveAsync(string code, string? bearerToken, CancellationToken cancellationToken)
    {
        var hash = Hash(code);
        var key = "capture-code:" + hash;
        if (cache.TryGetValue(key, out CaptureCodeAnswer? cached) && cached is not null)
        {
            return (cached.Outcome == CaptureCodeOutcome.Verified ? new ResolvedCaptureCode(cached.Verification!.RegistrationId, false, null) : null, cached);
        }

        var answer = await registration.VerifyAsync(code, bearerToken, cancellationToken);
        switch (answer.Outcome)
        {
            case CaptureCodeOutcome.Verified:
                cache.Set(key, answer, CacheFor);
                var now = time.GetUtcNow();
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO scheduling.verified_capture_codes (code_hash, registration_id, verified_at) VALUES ({hash}, {answer.Verification!.RegistrationId}, {now}) ON CONFLICT (code_hash) DO UPDATE SET registration_id = excluded.registration_id, verified_at = excluded.verified_at",
                    cancellationToken);
                return (new ResolvedCaptureCode(answer.Verification.RegistrationId, false, now), answer);
            case CaptureCodeOutcome.Revoked:
                cache.Set(key, answer, CacheFor);
                await db.VerifiedCaptureCodes.Where(c => c.CodeHash == hash).ExecuteDeleteAsync(cancellationToken);
                return (null, answer);
            case CaptureCodeOutcome.Invalid:
                return (null, answer);
            default:
                var known = await db.VerifiedCaptureCodes.AsNoTracking().FirstOrDefaultAsync(c => c.CodeHash == hash, cancellationToken);
                return known is null ? (null, answer) : (new ResolvedCaptureCode(known.RegistrationId, true, known.VerifiedAt), answer);
        }
    }

    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim())));
}
