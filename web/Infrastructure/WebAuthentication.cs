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

    /// <summary>The refresh token that renews it (when the authority gave one), kept in the same cookie.</summary>
    public const string RefreshToken = "refresh_token";

    /// <summary>One sign-in's id: the key of its latest tokens in <see cref="SessionTokens"/>.</summary>
    public const string Session = "sid";
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
            // A renewed access token (SessionTokens) goes back into the cookie on the next request, so a reload after
            // hours still finds a valid token; a sign-in that can no longer be renewed ends.
            options.Events.OnValidatePrincipal = async context =>
            {
                if (context.Principal is not { } principal || principal.FindFirst(WebClaims.RefreshToken) is null)
                {
                    return;
                }

                var tokens = context.HttpContext.RequestServices.GetRequiredService<SessionTokens>();
                var current = await tokens.CurrentAsync(principal, context.HttpContext.RequestAborted);
                if (current is null || current.ExpiresAt <= DateTimeOffset.UtcNow)
                {
                    tokens.Forget(principal);
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    return;
                }

                if (current.AccessToken != principal.FindFirst(WebClaims.AccessToken)?.Value)
                {
                    context.ReplacePrincipal(PrincipalFor(current.AccessToken, current.RefreshToken, principal.FindFirst(WebClaims.Session)?.Value));
                    context.ShouldRenew = true;
                }
            };
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
                // A refresh token, so the pages renew the access token themselves (a station screen open all day).
                if ((builder.Configuration["Auth:RefreshScope"] ?? "offline_access") is { Length: > 0 } refreshScope)
                {
                    options.Scope.Add(refreshScope);
                }

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
                        var refreshToken = context.TokenEndpointResponse.RefreshToken;
                        if (!string.IsNullOrEmpty(refreshToken))
                        {
                            identity.AddClaim(new Claim(WebClaims.RefreshToken, refreshToken));
                            identity.AddClaim(new Claim(WebClaims.Session, Guid.NewGuid().ToString("N")));
                        }

                        context.Properties!.ExpiresUtc = SessionEnd(builder.Configuration, token.ValidTo, refreshToken);
                    }

                    return Task.CompletedTask;
                };
            });
        }

        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>
    /// When the sign-in cookie ends: with a refresh token, <c>Web:SessionLifetime</c> (14 h: a capture day) from now;
    /// without one, when the access token does.
    /// </summary>
    public static DateTimeOffset SessionEnd(IConfiguration configuration, DateTime accessTokenEnds, string? refreshToken) =>
        string.IsNullOrEmpty(refreshToken)
            ? accessTokenEnds
            : DateTimeOffset.UtcNow + (configuration.GetValue<TimeSpan?>("Web:SessionLifetime") ?? TimeSpan.FromHours(14));

    /// <summary>The principal a token stands for: its role and scope claims, the token itself, and what renews it.</summary>
    public static ClaimsPrincipal PrincipalFor(string accessToken, string? refreshToken = null, string? session = null)
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
        if (!string.IsNullOrEmpty(refreshToken))
        {
            identity.AddClaim(new Claim(WebClaims.RefreshToken, refreshToken));
            identity.AddClaim(new Claim(WebClaims.Session, session ?? Guid.NewGuid().ToString("N")));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>Signs the person in with a token (and the refresh token that renews it); see <see cref="SessionEnd"/>.</summary>
    public static Task SignInWithTokenAsync(this HttpContext context, string accessToken, string? refreshToken = null) =>
        context.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            PrincipalFor(accessToken, refreshToken),
            new AuthenticationProperties
            {
                IsPersistent = false,
                ExpiresUtc = SessionEnd(context.RequestServices.GetRequiredService<IConfiguration>(), new JsonWebToken(accessToken).ValidTo, refreshToken),
            });

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

    /// <summary>
    /// Signs in through the gateway's development authority (<c>/dev</c>) as the device flow does, approving the code at
    /// once with the chosen role and scope: an access token and a refresh token, so development pages renew their
    /// tokens exactly as production ones do (<see cref="SessionTokens"/>). <paramref name="accessTokenLifetime"/>
    /// (<c>Web:DevelopmentAccessTokenLifetime</c>) makes tokens short to see renewal at work; null: the gateway's.
    /// </summary>
    public async Task<ApiResult<TokenSet>> SignInAsync(DevelopmentTokenRequest request, TimeSpan? accessTokenLifetime, CancellationToken ct)
    {
        try
        {
            using var start = await http.PostAsync("/dev/device/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = TokenRefresher.DevelopmentClientId, ["scope"] = "openid offline_access capture",
            }), ct);
            if (!start.IsSuccessStatusCode)
            {
                return new(default, await ApiProblem.ReadAsync(start, ct), start.StatusCode);
            }

            var code = (await start.Content.ReadFromJsonAsync<DeviceStart>(GatewayClient.Json, ct))!;
            using var approve = await http.PostAsJsonAsync("/dev/device/approve", new DeviceApproval(
                code.UserCode, request.Role, request.Subject, request.School, request.College, request.Venue,
                accessTokenLifetime is { } lifetime ? (int)lifetime.TotalSeconds : null), GatewayClient.Json, ct);
            if (!approve.IsSuccessStatusCode)
            {
                return new(default, await ApiProblem.ReadAsync(approve, ct), approve.StatusCode);
            }

            using var token = await http.PostAsync("/dev/device/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["device_code"] = code.DeviceCode, ["client_id"] = TokenRefresher.DevelopmentClientId,
            }), ct);
            if (!token.IsSuccessStatusCode)
            {
                return new(default, await ApiProblem.ReadAsync(token, ct), token.StatusCode);
            }

            var issued = (await token.Content.ReadFromJsonAsync<DeviceTokens>(GatewayClient.Json, ct))!;
            return new(TokenSet.From(issued.AccessToken, issued.RefreshToken), null, token.StatusCode);
        }
        catch (HttpRequestException ex)
        {
            return new(default, ApiProblem.Unreachable(ex.Message), System.Net.HttpStatusCode.ServiceUnavailable);
        }
    }

    private sealed record DeviceStart(
        [property: System.Text.Json.Serialization.JsonPropertyName("device_code")] string DeviceCode,
        [property: System.Text.Json.Serialization.JsonPropertyName("user_code")] string UserCode);

    private sealed record DeviceApproval(
        [property: System.Text.Json.Serialization.JsonPropertyName("user_code")] string UserCode,
        [property: System.Text.Json.Serialization.JsonPropertyName("role")] string? Role,
        [property: System.Text.Json.Serialization.JsonPropertyName("subject")] string? Subject,
        [property: System.Text.Json.Serialization.JsonPropertyName("school")] string? School,
        [property: System.Text.Json.Serialization.JsonPropertyName("college")] string? College,
        [property: System.Text.Json.Serialization.JsonPropertyName("venue")] string? Venue,
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token_lifetime")] int? AccessTokenLifetime);

    private sealed record DeviceTokens(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken);

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
