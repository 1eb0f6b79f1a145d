using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Capture.ServiceDefaults.Security;

/// <summary>
/// JWT bearer validation, the same at the gateway and in every service. Production names an external OpenID
/// Connect authority (<c>Auth:Authority</c>, <c>Auth:Audience</c>); local runs and tests use a shared signing key
/// (<c>Auth:SigningKey</c>) whose tokens the gateway's development issuer mints.
/// </summary>
public static class AuthenticationExtensions
{
    public const string SectionName = "Auth";
    public const string DevelopmentIssuer = "capture-dev";
    public const string DefaultAudience = "capture";

    public static TBuilder AddCaptureAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(SectionName);
        var authority = section["Authority"];
        var audience = section["Audience"] ?? DefaultAudience;

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters.NameClaimType = CaptureClaims.Subject;
            options.TokenValidationParameters.RoleClaimType = CaptureClaims.Role;
            options.TokenValidationParameters.ValidAudience = audience;
            options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);

            if (!string.IsNullOrWhiteSpace(authority))
            {
                options.Authority = authority;
                options.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
                return;
            }

            var key = SigningKey(builder.Configuration)
                ?? throw new InvalidOperationException(
                    "Authentication is not configured: set Auth:Authority to the OpenID Connect authority (production), "
                    + "or Auth:SigningKey to a shared key of at least 32 characters (local runs; the AppHost sets it).");
            options.TokenValidationParameters.ValidIssuer = section["Issuer"] ?? DevelopmentIssuer;
            options.TokenValidationParameters.IssuerSigningKey = key;
        });

        builder.Services.AddAuthorization(options =>
        {
            foreach (var role in CaptureRoles.All)
            {
                options.AddPolicy(role, policy => policy.RequireAuthenticatedUser().RequireRole(role));
            }
        });
        return builder;
    }

    public static SymmetricSecurityKey? SigningKey(IConfiguration configuration)
    {
        var raw = configuration.GetSection(SectionName)["SigningKey"];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(raw);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException("Auth:SigningKey is too short: use at least 32 characters.");
        }

        return new SymmetricSecurityKey(bytes);
    }

    /// <summary>Declares which roles may call the endpoints (any one of them). Every endpoint says this or AllowAnonymous.</summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder
    {
        if (roles.Length == 0)
        {
            throw new ArgumentException("Name at least one role.", nameof(roles));
        }

        return builder.RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(',', roles) });
    }

    public static string? School(this ClaimsPrincipal user) => user.FindFirst(CaptureClaims.School)?.Value;

    public static string? College(this ClaimsPrincipal user) => user.FindFirst(CaptureClaims.College)?.Value;

    public static string? Venue(this ClaimsPrincipal user) => user.FindFirst(CaptureClaims.Venue)?.Value;

    public static string? Subject(this ClaimsPrincipal user) => user.FindFirst(CaptureClaims.Subject)?.Value;
}
