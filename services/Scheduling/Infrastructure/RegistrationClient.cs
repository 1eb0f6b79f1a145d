using System.Net;
using System.Net.Http.Headers;
using Capture.Contracts.Registration;

namespace Capture.Scheduling.Infrastructure;

/// <summary>What Registration said about a capture code.</summary>
public enum CaptureCodeOutcome
{
    Verified,
    Revoked,
    Invalid,
    Unavailable,
}

public sealed record CaptureCodeAnswer(CaptureCodeOutcome Outcome, CaptureCodeVerification? Verification = null, string? Detail = null);

/// <summary>
/// Typed client for Registration's <c>POST /api/registration/capture-codes/verify</c>, base address
/// <c>http://registration</c> (service discovery resolves it from <c>services:registration:http:0</c>). The caller's
/// bearer token is forwarded, so Registration applies its own rules to the operator.
/// </summary>
public sealed class RegistrationClient(HttpClient http)
{
    public const string BaseAddress = "http://registration";
    public const string VerifyPath = "/api/registration/capture-codes/verify";

    /// <summary>What the operator hears for a code Registration does not know or does not show them (another school's).</summary>
    public const string UnknownCodeDetail = "This is not a valid capture code; ask the student to open their current code, or scan their student card.";

    public async Task<CaptureCodeAnswer> VerifyAsync(string code, string? bearerToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, VerifyPath) { Content = JsonContent.Create(new VerifyCaptureCodeRequest(code)) };
        if (!string.IsNullOrEmpty(bearerToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var verification = await response.Content.ReadFromJsonAsync<CaptureCodeVerification>(cancellationToken);
                    return verification is null
                        ? new CaptureCodeAnswer(CaptureCodeOutcome.Unavailable, Detail: "Registration answered 200 with an empty body.")
                        : new CaptureCodeAnswer(CaptureCodeOutcome.Verified, verification);
                case HttpStatusCode.Gone:
                    return new CaptureCodeAnswer(CaptureCodeOutcome.Revoked, Detail: "This capture code was revoked; the student must show their current code.");
                case HttpStatusCode.BadRequest:
                case HttpStatusCode.NotFound:
                    return new CaptureCodeAnswer(CaptureCodeOutcome.Invalid, Detail: UnknownCodeDetail);
                default:
                    return new CaptureCodeAnswer(CaptureCodeOutcome.Unavailable, Detail: $"Registration answered {(int)response.StatusCode}.");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.ExecutionRejectedException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return new CaptureCodeAnswer(CaptureCodeOutcome.Unavailable, Detail: $"Registration is unreachable ({e.GetType().Name}).");
        }
    }
}
