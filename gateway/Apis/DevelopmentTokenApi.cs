using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Capture.Gateway.Apis;

/// <summary>
/// <c>POST /dev/token</c>: the development token issuer. Mapped only in the Development environment (Program.cs);
/// production tokens come from the university's OpenID Connect authority. Tokens live <c>Auth:DevelopmentTokenLifetime</c>
/// (default 8 hours). The station agent's device flow has its own stand-in authority: <see cref="DevelopmentDeviceFlowApi"/>.
/// </summary>
public static class DevelopmentTokenApi
{
    public static IEndpointRouteBuilder MapDevelopmentTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/dev/token", IssueToken)
            .WithName("IssueDevelopmentToken")
            .WithSummary("Mints a token for a role and its scope (Development only).")
            .WithTags("Development")
            .AllowAnonymous();
        return app;
    }

    private static Results<Ok<DevelopmentTokenResponse>, ValidationProblem> IssueToken(DevelopmentTokenRequest request, IConfiguration configuration)
    {
        var errors = DevelopmentTokens.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The token request is incomplete; see errors for what each field needs.");
        }

        var key = AuthenticationExtensions.SigningKey(configuration)
            ?? throw new InvalidOperationException("Auth:SigningKey is not set; the development issuer needs it.");
        var audience = configuration[$"{AuthenticationExtensions.SectionName}:Audience"] ?? AuthenticationExtensions.DefaultAudience;
        var lifetime = DevelopmentTokens.ConfiguredLifetime(configuration);
        var token = DevelopmentTokens.Issue(request, key, audience, lifetime: lifetime);
        return TypedResults.Ok(new DevelopmentTokenResponse(token, "Bearer", (int)lifetime.TotalSeconds));
    }
}

public sealed record DevelopmentTokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);
