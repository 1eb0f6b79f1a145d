using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Capture.Gateway.Apis;

/// <summary>
/// A development stand-in for the university's OpenID Connect authority, enough for the station agent's device flow
/// (RFC 8628): authority <c>{gateway}/dev</c>, with its discovery document, device authorization, a token endpoint for
/// the <c>device_code</c> and <c>refresh_token</c> grants, revocation (RFC 7009), and <c>POST /dev/device/approve</c>
/// (or <c>/deny</c>) standing in for the operator signing in on their phone. It issues the same signed tokens as
/// <c>POST /dev/token</c>. Mapped only in the Development environment (Program.cs), anonymous like <c>/dev/token</c>.
/// Errors of the OAuth endpoints are ProblemDetails that also carry the RFC 6749 <c>error</c> and
/// <c>error_description</c> members, so any OAuth client understands them.
/// </summary>
public static partial class DevelopmentDeviceFlowApi
{
    public const string AuthorityPath = "/dev";
    public const string DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";
    public const int MaxClientIdLength = 100;
    public const int MaxScopeLength = 500;
    public const int MaxSecretLength = 200;
    private const long MaxBodyBytes = 16 * 1024;

    public static IServiceCollection AddDevelopmentDeviceFlow(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DevelopmentDeviceFlow>();
        return services;
    }

    public static IEndpointRouteBuilder MapDevelopmentDeviceFlowApi(this IEndpointRouteBuilder app)
    {
        var dev = app.MapGroup(AuthorityPath).WithTags("Development").AllowAnonymous()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        dev.MapGet("/.well-known/openid-configuration", Discovery)
            .WithName("DevelopmentOpenIdConfiguration")
            .WithSummary("The development authority's discovery document (Development only).");
        dev.MapGet("/device", VerificationPage)
            .WithName("DevelopmentDeviceVerification")
            .WithSummary("What the operator's phone would show; here, how to approve a user code (Development only).");
        dev.MapPost("/device/authorize", AuthorizeAsync)
            .WithName("DevelopmentDeviceAuthorization")
            .WithSummary("RFC 8628 device authorization: a device code and a user code (Development only).");
        dev.MapPost("/device/token", TokenAsync)
            .WithName("DevelopmentDeviceToken")
            .WithSummary("Token endpoint for the device_code and refresh_token grants (Development only).");
        dev.MapPost("/device/approve", Approve)
            .WithName("DevelopmentDeviceApprove")
            .WithSummary("Stands in for the operator's sign-in on the phone: approves a user code with the token's claims (Development only).");
        dev.MapPost("/device/deny", Deny)
            .WithName("DevelopmentDeviceDeny")
            .WithSummary("Stands in for the operator refusing the sign-in on the phone (Development only).");
        dev.MapPost("/device/revoke", RevokeAsync)
            .WithName("DevelopmentDeviceRevoke")
            .WithSummary("RFC 7009 revocation of a refresh token and its sign-in (Development only).");
        return app;
    }

    private static string Authority(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{AuthorityPath}";

    private static Ok<DiscoveryDocument> Discovery(HttpRequest request)
    {
        var authority = Authority(request);
        return TypedResults.Ok(new DiscoveryDocument(
            AuthenticationExtensions.DevelopmentIssuer,
            $"{authority}/device/authorize",
            $"{authority}/device/token",
            $"{authority}/device/revoke",
            [DeviceCodeGrantType, "refresh_token"],
            ["none"],
            ["openid", "offline_access", "capture"]));
    }

    private static ContentHttpResult VerificationPage(string? user_code) => TypedResults.Text(
        "Capture development sign-in (stands in for the university's sign-in page on the operator's phone).\n"
        + $"Approve {(string.IsNullOrWhiteSpace(user_code) ? "a user code" : "the code " + user_code)} with\n"
        + $"  POST {AuthorityPath}/device/approve {{\"user_code\": \"XXXX-XXXX\", \"role\": \"station-operator\", \"subject\": \"...\", \"school\": \"10385\", \"venue\": \"<venue id>\"}}\n"
        + $"or refuse it with POST {AuthorityPath}/device/deny {{\"user_code\": \"XXXX-XXXX\"}}.\n");

    private static async Task<IResult> AuthorizeAsync(HttpRequest request, DevelopmentDeviceFlow flow, CancellationToken ct)
    {
        if (await ReadFormAsync(request, ct) is not { } form)
        {
            return FormExpected();
        }

        var errors = new Dictionary<string, string[]>();
        var clientId = ClientId(form, errors);
        var scope = Scope(form, errors);
        if (errors.Count > 0)
        {
            return OAuthError("invalid_request", "The device authorization request is not acceptable; see errors.", errors);
        }

        if (flow.Start(clientId!, scope) is not { } code)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                detail: "Too many sign-ins are waiting; try again in a few minutes.");
        }

        var authority = Authority(request);
        NoStore(request.HttpContext);
        return TypedResults.Ok(new DeviceAuthorizationResponse(code.DeviceCode, code.UserCode, $"{authority}/device",
            $"{authority}/device?user_code={code.UserCode}", (int)code.ExpiresIn.TotalSeconds, (int)code.Interval.TotalSeconds));
    }

    private static async Task<IResult> TokenAsync(HttpRequest request, DevelopmentDeviceFlow flow, IConfiguration configuration, CancellationToken ct)
    {
        if (await ReadFormAsync(request, ct) is not { } form)
        {
            return FormExpected();
        }

        var errors = new Dictionary<string, string[]>();
        var clientId = ClientId(form, errors);
        var grantType = form["grant_type"].ToString();
        DevelopmentDeviceFlow.Grant grant;
        switch (grantType)
        {
            case DeviceCodeGrantType:
                var deviceCode = Secret(form, "device_code", errors);
                if (errors.Count > 0)
                {
                    return OAuthError("invalid_request", "The token request is not acceptable; see errors.", errors);
                }

                grant = flow.Poll(clientId!, deviceCode!);
                break;
            case "refresh_token":
                var refreshToken = Secret(form, "refresh_token", errors);
                if (errors.Count > 0)
                {
                    return OAuthError("invalid_request", "The token request is not acceptable; see errors.", errors);
                }

                grant = flow.Refresh(clientId!, refreshToken!);
                break;
            case "":
                errors["grant_type"] = [$"Give grant_type: {DeviceCodeGrantType} or refresh_token."];
                return OAuthError("invalid_request", "The token request is not acceptable; see errors.", errors);
            default:
                return OAuthError("unsupported_grant_type", $"This development authority knows the grant types {DeviceCodeGrantType} and refresh_token.");
        }

        if (grant.Error is not null || grant.Approved is not { } approval)
        {
            return OAuthError(grant.Error ?? "invalid_grant", grant.Why ?? "Refused.");
        }

        var key = AuthenticationExtensions.SigningKey(configuration)
            ?? throw new InvalidOperationException("Auth:SigningKey is not set; the development issuer needs it.");
        var audience = configuration[$"{AuthenticationExtensions.SectionName}:Audience"] ?? AuthenticationExtensions.DefaultAudience;
        var accessToken = DevelopmentTokens.Issue(approval.Claims, key, audience, lifetime: approval.AccessTokenLifetime);
        NoStore(request.HttpContext);
        return TypedResults.Ok(new DeviceTokenResponse(accessToken, "Bearer", (int)approval.AccessTokenLifetime.TotalSeconds, grant.RefreshToken!, grant.Scope));
    }

    private static IResult Approve(DeviceApprovalRequest request, DevelopmentDeviceFlow flow, IConfiguration configuration)
    {
        var claims = new DevelopmentTokenRequest(request.Role ?? CaptureRoles.StationOperator, request.Subject, request.School, request.College, request.Venue);
        var errors = DevelopmentTokens.Validate(claims);
        CheckUserCode(request.UserCode, errors);
        var lifetime = DevelopmentTokens.ConfiguredLifetime(configuration);
        if (request.AccessTokenLifetime is { } seconds)
        {
            if (seconds < 5 || seconds > DevelopmentTokens.MaxLifetime.TotalSeconds)
            {
                errors["access_token_lifetime"] = [$"Give seconds from 5 to {DevelopmentTokens.MaxLifetime.TotalSeconds:0}, or leave it out for the configured lifetime."];
            }
            else
            {
                lifetime = TimeSpan.FromSeconds(seconds);
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The approval is not acceptable; see errors for what each field needs.");
        }

        return flow.Decide(request.UserCode!, new DevelopmentDeviceFlow.Approval(claims, lifetime))
            ? TypedResults.NoContent()
            : NoSuchCode();
    }

    private static IResult Deny(DeviceDenialRequest request, DevelopmentDeviceFlow flow)
    {
        var errors = new Dictionary<string, string[]>();
        CheckUserCode(request.UserCode, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The refusal is not acceptable; see errors.");
        }

        return flow.Decide(request.UserCode!, null) ? TypedResults.NoContent() : NoSuchCode();
    }

    private static async Task<IResult> RevokeAsync(HttpRequest request, DevelopmentDeviceFlow flow, CancellationToken ct)
    {
        if (await ReadFormAsync(request, ct) is not { } form)
        {
            return FormExpected();
        }

        var errors = new Dictionary<string, string[]>();
        var token = Secret(form, "token", errors);
        if (errors.Count > 0)
        {
            return OAuthError("invalid_request", "The revocation request is not acceptable; see errors.", errors);
        }

        flow.Revoke(token!);
        return TypedResults.Ok(); // RFC 7009 §2.2: also for a token that is unknown or already revoked
    }

    private static void CheckUserCode(string? userCode, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(userCode) || !DevelopmentDeviceFlow.IsUserCodeShape(userCode))
        {
            errors["user_code"] = [$"Give the {DevelopmentDeviceFlow.UserCodeLength}-letter code the agent shows (XXXX-XXXX, letters of {DevelopmentDeviceFlow.UserCodeAlphabet})."];
        }
    }

    private static ProblemHttpResult NoSuchCode() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        detail: "No sign-in waits for that user code: it expired, was decided already, or was never given. Start the agent's sign-in again.");

    private static string? ClientId(IFormCollection form, Dictionary<string, string[]> errors)
    {
        var value = form["client_id"].ToString();
        if (value.Length == 0 || value.Length > MaxClientIdLength || !ClientIdShape().IsMatch(value))
        {
            errors["client_id"] = [$"Give the client's id: 1 to {MaxClientIdLength} letters, digits, '.', '_', ':' or '-' (the agent's is capture-station-agent)."];
            return null;
        }

        return value;
    }

    private static string Scope(IFormCollection form, Dictionary<string, string[]> errors)
    {
        var value = form["scope"].ToString();
        if (value.Length > MaxScopeLength || (value.Length > 0 && !ScopeShape().IsMatch(value)))
        {
            errors["scope"] = [$"Give scope tokens separated by single spaces (RFC 6749 §3.3), at most {MaxScopeLength} characters."];
        }

        return value;
    }

    private static string? Secret(IFormCollection form, string field, Dictionary<string, string[]> errors)
    {
        var value = form[field].ToString();
        if (value.Length == 0 || value.Length > MaxSecretLength || !SecretShape().IsMatch(value))
        {
            errors[field] = [$"Give the {field} this authority issued (base64url, at most {MaxSecretLength} characters)."];
            return null;
        }

        return value;
    }

    /// <summary>The form body (OAuth endpoints take <c>application/x-www-form-urlencoded</c>), or null when it is not one.</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await request.ReadFormAsync(new FormOptions { ValueCountLimit = 16, KeyLengthLimit = 64, ValueLengthLimit = 4096 }, ct);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static IResult FormExpected() => OAuthError("invalid_request", "Send the parameters as an application/x-www-form-urlencoded form (RFC 6749).",
        new Dictionary<string, string[]> { ["content-type"] = ["application/x-www-form-urlencoded, with at most 16 short fields."] });

    private static IResult OAuthError(string error, string description, Dictionary<string, string[]>? errors = null)
    {
        var extensions = new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description };
        return errors is { Count: > 0 }
            ? TypedResults.ValidationProblem(errors, detail: description, title: error, extensions: extensions)
            : TypedResults.Problem(detail: description, statusCode: StatusCodes.Status400BadRequest, title: error, extensions: extensions);
    }

    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex ClientIdShape();

    [GeneratedRegex(@"^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$")]
    private static partial Regex ScopeShape();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex SecretShape();
}

public sealed record DiscoveryDocument(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("device_authorization_endpoint")] string DeviceAuthorizationEndpoint,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
    [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported);

public sealed record DeviceAuthorizationResponse(
    [property: JsonPropertyName("device_code")] string DeviceCode,
    [property: JsonPropertyName("user_code")] string UserCode,
    [property: JsonPropertyName("verification_uri")] string VerificationUri,
    [property: JsonPropertyName("verification_uri_complete")] string VerificationUriComplete,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("interval")] int Interval);

public sealed record DeviceTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("scope")] string Scope);

/// <summary>The operator's sign-in on the phone, as the development stand-in takes it: the user code and the token's claims.</summary>
public sealed record DeviceApprovalRequest(
    [property: JsonPropertyName("user_code")] string? UserCode,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("school")] string? School,
    [property: JsonPropertyName("college")] string? College,
    [property: JsonPropertyName("venue")] string? Venue,
    [property: JsonPropertyName("access_token_lifetime")] int? AccessTokenLifetime);

public sealed record DeviceDenialRequest([property: JsonPropertyName("user_code")] string? UserCode);
