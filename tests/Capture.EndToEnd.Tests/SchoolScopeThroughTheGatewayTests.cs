using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using static Capture.EndToEnd.Tests.PaymentSteps;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// Two schools on one system, through the gateway: a station operator of a venue of school A verifies and checks in
/// school A's students, and school B's capture code is unknown to them in Registration (404) and in Scheduling, by
/// code and by student card, without a name or a student number in any answer. Registration learns which school a
/// venue belongs to from Scheduling's StationOpened, over RabbitMQ.
/// </summary>
[Collection(nameof(WholeSystem))]
public sealed class SchoolScopeThroughTheGatewayTests(SystemFixture fixture)
{
    private Task<SchoolWorld> SchoolAsync() => SchoolWorld.CreateAsync(fixture);

    [Fact]
    public async Task An_operator_sees_and_checks_in_only_their_venues_school_and_another_schools_code_reveals_nothing()
    {
        var a = await SchoolAsync();
        var b = await SchoolAsync();
        using var operatorA = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: null, venue: a.Venue.ToString()));

        // Registration learns venue → school from StationOpened (through RabbitMQ); then A's code verifies.
        JsonElement verified = default;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await operatorA.PostAsJsonAsync("/api/registration/capture-codes/verify", new { code = a.CaptureCode });
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            verified = await response.Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, TimeSpan.FromSeconds(30), "StationOpened to reach Registration");
        Assert.Equal((a.RegistrationId, a.Row.Name), (verified.GetProperty("registrationId").GetGuid(), verified.GetProperty("studentName").GetString()));

        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("verify B's code", await operatorA.PostAsJsonAsync("/api/registration/capture-codes/verify", new { code = b.CaptureCode })),
            ("check in B's code at A", await operatorA.PostAsJsonAsync($"/api/scheduling/stations/{a.Station}/check-ins", new { captureCode = b.CaptureCode, sessionId = a.Session })),
            ("check in B's card at A", await operatorA.PostAsJsonAsync($"/api/scheduling/stations/{a.Station}/check-ins", new { studentNumber = b.Row.StudentNumber, sessionId = a.Session })),
            ("check in at B's station", await operatorA.PostAsJsonAsync($"/api/scheduling/stations/{b.Station}/check-ins", new { captureCode = b.CaptureCode, sessionId = b.Session })),
        };
        var expected = new[] { HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.Conflict, HttpStatusCode.Forbidden };
        for (var i = 0; i < answers.Count; i++)
        {
            var (what, response) = answers[i];
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected[i], $"{what}: {(int)response.StatusCode} {text}");
            Assert.DoesNotContain(b.Row.Name, text, StringComparison.Ordinal);
            Assert.DoesNotContain(b.RegistrationId.ToString(), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("**************" + b.Row.IdNumber[^4..], text, StringComparison.Ordinal);
            response.Dispose();
        }

        // A token without the venue claim is refused naming it, in both services.
        using var noVenue = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: a.Code, venue: null));
        foreach (var (path, body) in new (string, object)[]
        {
            ("/api/registration/capture-codes/verify", new { code = a.CaptureCode }),
            ($"/api/scheduling/stations/{a.Station}/check-ins", new { captureCode = a.CaptureCode, sessionId = a.Session }),
        })
        {
            using var response = await noVenue.PostAsJsonAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode} {text}");
            Assert.Contains("'venue' claim", text, StringComparison.Ordinal);
        }

        // B's own operator verifies B's code: the refusal above was the scope, not a broken code.
        using var operatorB = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: null, venue: b.Venue.ToString()));
        await Eventually.TrueAsync(async () =>
        {
            using var response = await operatorB.PostAsJsonAsync("/api/registration/capture-codes/verify", new { code = b.CaptureCode });
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "B's operator to verify B's code");
    }
}
