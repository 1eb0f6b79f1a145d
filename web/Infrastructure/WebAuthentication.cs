using System.Net.Http.Json;
using System.Security.Claims;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Capture.Web.Infrastructure;

public static class WebClaims
{
    /// <summary>The bearer token the pages call the gateway with, kept in the (encrypted) sign-in cookie.</summary>
    public const string AccessToken = "access_token";
}

/// <summary>
/// Sign-in for the pages. A cookie keeps the person signed in and carries the token the services trust. Production:
/// the OpenID Connect authority the services already trust (<c>Auth:Authority</c>, <c>Auth:ClientId</c>,
/// <c>Auth:ClientSecret</c>). Development: <c>/signin</c> picks a role and its scope and asks the gateway's
/// <c>/dev/token</c> for the token.
/// </summary>
public static class WebAuthentication
{
    public const string SignInPath = "/signin";

    public static bool UsesOpenIdConnect(IConfiguration configuration, IHostEnvironment environment) =>
        !environment.IsDevelopment() && !string.IsNullOrWhiteSpace(configuration["Auth:Authority"]);

    public static IHostApplicationBuilder AddWebAuthentication(this IHostApplicationBuilder builder)
    {
        var oidc = UsesOpenIdConnect(builder.Configuration, builder.Environment);
        var authentication = builder.Services.AddAuthentication(options =>
        {
            options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            options.DefaultChallengeScheme = oidc ? OpenIdConnectDefaults.AuthenticationScheme : CookieAuthenticationDefaults.AuthenticationScheme;
        }).AddCookie(options =>
        {
            options.LoginPath = SignInPath;
            options.AccessDeniedPath = "/denied";
            options.Cookie.Name = "capture.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.SlidingExpiration = false;
        });

        if (oidc)
        {
            authentication.AddOpenIdConnect(options =>
            {
                options.Authority = builder.Configuration["Auth:Authority"];
                options.ClientId = builder.Configuration["Auth:ClientId"];
                options.ClientSecret = builder.Configuration["Auth:ClientSecret"];
                options.ResponseType = "code";
                options.UsePkce = true;
                options.SaveTokens = false;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.RoleClaimType = CaptureClaims.Role;
                options.TokenValidationParameters.NameClaimType = CaptureClaims.Subject;
                options.Scope.Add(builder.Configuration["Auth:Scope"] ?? "capture");
                options.Events.OnTokenValidated = context =>
                {
                    // The services authorise with the access token's claims: the cookie carries that token and its claims.
                    if (context.TokenEndpointResponse?.AccessToken is { } accessToken && context.Principal?.Identity is ClaimsIdentity identity)
                    {
                        var token = new JsonWebToken(accessToken);
                        foreach (var type in new[] { CaptureClaims.Role, CaptureClaims.School, CaptureClaims.College, CaptureClaims.Venue })
                        {
                            if (identity.FindFirst(type) is null && token.TryGetClaim(type, out var claim))
                            {
                                identity.AddClaim(new Claim(type, claim.Value));
                            }
                        }

                        identity.AddClaim(new Claim(WebClaims.AccessToken, accessToken));
                        context.Properties!.ExpiresUtc = token.ValidTo;
                    }

                    return Task.CompletedTask;
                };
            });
        }

        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>The principal a token stands for: its role and scope claims, and the token itself.</summary>
    public static ClaimsPrincipal PrincipalFor(string accessToken)
    {
        var token = new JsonWebToken(accessToken);
        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, CaptureClaims.Subject, CaptureClaims.Role);
        foreach (var type in new[] { CaptureClaims.Subject, CaptureClaims.Role, CaptureClaims.School, CaptureClaims.College, CaptureClaims.Venue })
        {
            if (token.TryGetClaim(type, out var claim) && !string.IsNullOrWhiteSpace(claim.Value))
            {
                identity.AddClaim(new Claim(type, claim.Value));
            }
        }

        identity.AddClaim(new Claim(WebClaims.AccessToken, accessToken));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Signs the person in with a token; the cookie ends when the token does.</summary>
    public static Task SignInWithTokenAsync(this HttpContext context, string accessToken) =>
        context.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            PrincipalFor(accessToken),
            new AuthenticationProperties { IsPersistent = false, ExpiresUtc = new JsonWebToken(accessToken).ValidTo });

    /// <summary>The page a role starts on.</summary>
    public static string HomeOf(ClaimsPrincipal user) => user.FindFirst(CaptureClaims.Role)?.Value switch
    {
        CaptureRoles.Student => "/student",
        CaptureRoles.StationOperator => "/station",
        CaptureRoles.CollegeStaff => "/college",
        CaptureRoles.SchoolAdmin => "/school",
        CaptureRoles.Ops => "/ops",
        _ => "/",
    };
}

/// <summary>The gateway's development issuer, <c>POST /dev/token</c> (Development only).</summary>
public sealed class DevelopmentTokenClient(HttpClient http)
{
    public sealed record TokenResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);

    public async Task<ApiResult<TokenResponse>> IssueAsync(DevelopmentTokenRequest request, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/dev/token", request, GatewayClient.Json, ct);
            return response.IsSuccessStatusCode
                ? new(await response.Content.ReadFromJsonAsync<TokenResponse>(GatewayClient.Json, ct), null, response.StatusCode)
                : new(default, await ApiProblem.ReadAsync(response, ct), response.StatusCode);
        }
        catch (HttpRequestException ex)
        {
            return new(default, ApiProblem.Unreachable(ex.Message), System.Net.HttpStatusCode.ServiceUnavailable);
        }
    }

    public sealed record VenueChoice(Guid Id, string Code, string Name);

    /// <summary>A school's venues, for the development sign-in of a station operator (asked with a school-admin token of that school).</summary>
    public async Task<IReadOnlyList<VenueChoice>> VenuesAsync(string school, CancellationToken ct)
    {
        var admin = await IssueAsync(new DevelopmentTokenRequest(CaptureRoles.SchoolAdmin, "dev-signin", school, null, null), ct);
        if (!admin.Ok)
        {
            return [];
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/scheduling/venues");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin.Value!.AccessToken);
        try
        {
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<List<VenueChoice>>(GatewayClient.Json, ct) ?? [] : [];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }
}
