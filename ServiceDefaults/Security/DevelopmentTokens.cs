using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Capture.ServiceDefaults.Security;

/// <summary>What a caller asks the development issuer for (<c>POST /dev/token</c>).</summary>
public sealed record DevelopmentTokenRequest(string? Role, string? Subject, string? School, string? College, string? Venue);

/// <summary>
/// Mints tokens for local runs and tests, signed with <c>Auth:SigningKey</c>. It checks that each role carries the
/// scoping claims it needs, so a token that would be useless is refused with the reason instead.
/// </summary>
public static class DevelopmentTokens
{
    /// <summary>How long a development token lives unless <c>Auth:DevelopmentTokenLifetime</c> says otherwise.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>The longest a development token may live (and the longest <c>Auth:DevelopmentTokenLifetime</c> may say).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <summary>The longest subject, school, college or venue a development token carries.</summary>
    public const int MaxClaimLength = 100;

    /// <summary>
    /// The configured lifetime (<c>Auth:DevelopmentTokenLifetime</c>, a TimeSpan such as <c>00:00:30</c>; tests make it
    /// short to see a refresh), or <see cref="Lifetime"/>.
    /// </summary>
    public static TimeSpan ConfiguredLifetime(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var raw = configuration[$"{AuthenticationExtensions.SectionName}:DevelopmentTokenLifetime"];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return Lifetime;
        }

        return TimeSpan.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out var lifetime)
               && lifetime >= TimeSpan.FromSeconds(5) && lifetime <= MaxLifetime
            ? lifetime
            : throw new InvalidOperationException($"Auth:DevelopmentTokenLifetime must be a TimeSpan between 00:00:05 and {MaxLifetime}, not '{raw}'.");
    }

    /// <summary>Validation errors by field, empty when the request is good.</summary>
    public static Dictionary<string, string[]> Validate(DevelopmentTokenRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Role) || !CaptureRoles.All.Contains(request.Role))
        {
            errors["role"] = [$"Give one of: {string.Join(", ", CaptureRoles.All)}."];
            return errors;
        }

        void Require(string field, string? value, string why)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors[field] = [$"A {request.Role} token needs '{field}': {why}."];
            }
        }

        foreach (var (field, value) in new[] { ("subject", request.Subject), ("school", request.School), ("college", request.College), ("venue", request.Venue) })
        {
            if (Validation.TextRules.CheckText(value, MaxClaimLength) is { } problem)
            {
                errors[field] = [problem];
            }
        }

        if (!errors.ContainsKey("subject"))
        {
            Require("subject", request.Subject, "who the caller is");
        }

        switch (request.Role)
        {
            case CaptureRoles.CollegeStaff:
                Require("school", request.School, "the school code the college belongs to");
                Require("college", request.College, "the college this staff member works for");
                break;
            case CaptureRoles.SchoolAdmin:
            case CaptureRoles.IntegrationClient:
            case CaptureRoles.Student:
                Require("school", request.School, "the school code (学校代码)");
                break;
            case CaptureRoles.StationOperator:
                Require("venue", request.Venue, "the venue whose stations this operator runs");
                break;
        }

        return errors;
    }

    public static string Issue(DevelopmentTokenRequest request, SecurityKey key, string audience = AuthenticationExtensions.DefaultAudience, DateTime? now = null, TimeSpan? lifetime = null)
    {
        var claims = new List<Claim> { new(CaptureClaims.Role, request.Role!), new(CaptureClaims.Subject, request.Subject!) };
        void Add(string type, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                claims.Add(new Claim(type, value));
            }
        }

        Add(CaptureClaims.School, request.School);
        Add(CaptureClaims.College, request.College);
        Add(CaptureClaims.Venue, request.Venue);

        var issuedAt = now ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthenticationExtensions.DevelopmentIssuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? Lifetime),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
