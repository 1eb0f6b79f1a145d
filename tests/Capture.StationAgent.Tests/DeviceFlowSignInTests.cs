using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Capture.StationAgent.Core;
using Capture.Testing;

namespace Capture.StationAgent.Tests;

/// <summary>
/// The device flow (RFC 8628) end to end: the <c>run</c> command signs in at the running gateway's development
/// authority (<c>/dev</c>), the test approves the user code as the operator's phone would, and the agent checks
/// students in; its short-lived access token is renewed with the rotated refresh token without the operator, and a
/// revoked sign-in sends the operator back to the device flow with a new code.
/// </summary>
[Collection(nameof(AgentSystem))]
public sealed partial class DeviceFlowSignInTests(AgentSystemFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The access token's life in this test: renewed after 12 s (a fifth early), well before the gateway's 30 s clock skew matters.</summary>
    private const int AccessTokenSeconds = 15;

    [Fact]
    public async Task The_agent_signs_in_with_the_device_flow_renews_its_token_unattended_and_asks_again_when_revoked()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 2);
        await using var h = AgentHarness.Start(fixture, day, day.Stations[0]);
        await h.StopAbruptlyAsync(); // the folders and proxy only: the command runs the agent
        var store = Path.Combine(h.Root, "sign-in", "refresh.token");
        using var gateway = fixture.CreateClient();

        using var agent = AgentProcess.Start(h,
        [
            "--authority", new Uri(fixture.System.GatewayUri, "dev").ToString(),
            "--client-id", "capture-station-agent",
            "--sign-in-store", store,
        ]);

        // 1. The code on screen; the operator approves it on the phone; the agent goes on by itself.
        var userCode = await UserCodeAsync(agent, after: 0);
        await ApproveAsync(gateway, day, userCode);
        await Watching(agent, Eventually.TrueAsync(() => agent.Output.Contains("Signed in.", StringComparison.Ordinal), Patience, "the sign-in after approval"));
        Assert.True(File.Exists(store));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store));
        }

        var firstRefreshToken = await File.ReadAllTextAsync(store);
        await agent.TypeAsync(day.Students[0].CaptureCode);
        await Watching(agent, Eventually.TrueAsync(() => CurrentShootNumber(h) == "S1-0001", Patience, "the first check-in with the device-flow token"));

        // 2. The access token nears its end: the next call renews it with the refresh token (rotated), nobody signs in.
        await Task.Delay(TimeSpan.FromSeconds(AccessTokenSeconds));
        await agent.TypeAsync(day.Students[1].CaptureCode);
        await Watching(agent, Eventually.TrueAsync(() => CurrentShootNumber(h) == "S1-0002", Patience, "the second check-in after the renewal"));
        var secondRefreshToken = await File.ReadAllTextAsync(store);
        Assert.NotEqual(firstRefreshToken, secondRefreshToken);
        var shownCodes = CodeLine().Matches(agent.Output).Count;
        Assert.Equal(1, shownCodes); // the operator was not asked again

        // 3. The sign-in is revoked at the authority: the next renewal fails, the operator is told and gets a new code.
        using (var revoke = await gateway.PostAsync("/dev/device/revoke", new FormUrlEncodedContent([new("token", secondRefreshToken)])))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(AccessTokenSeconds));
        await agent.TypeAsync(day.Students[0].CaptureCode);
        await Watching(agent, Eventually.TrueAsync(() => agent.Output.Contains("The sign-in has ended", StringComparison.Ordinal), Patience, "the revoked sign-in reported"));
        var secondCode = await UserCodeAsync(agent, after: 1);
        Assert.NotEqual(userCode, secondCode);
        Assert.False(File.Exists(store) && await File.ReadAllTextAsync(store) == secondRefreshToken);

        await ApproveAsync(gateway, day, secondCode);
        await Watching(agent, Eventually.TrueAsync(() => Regex.Matches(agent.Output, "Signed in\\.").Count == 2, Patience, "the second sign-in"));
        await agent.TypeAsync(day.Students[1].CaptureCode); // scanned before: the same shoot number again, through the new sign-in
        await Watching(agent, Eventually.TrueAsync(() => agent.Output.Split('\n').Count(l => l.Contains("S1-0002", StringComparison.Ordinal)) >= 2, Patience, "a check-in after signing in again"));
    }

    private static async Task<string> UserCodeAsync(AgentProcess agent, int after)
    {
        await Watching(agent, Eventually.TrueAsync(() => CodeLine().Matches(agent.Output).Count > after, Patience, "a user code on screen"));
        return CodeLine().Matches(agent.Output)[after].Groups["code"].Value;
    }

    private static async Task ApproveAsync(HttpClient gateway, CaptureDay day, string userCode)
    {
        using var approved = await gateway.PostAsJsonAsync("/dev/device/approve", new
        {
            user_code = userCode,
            role = "station-operator",
            subject = "photographer-phone",
            school = day.School,
            venue = day.Venue.ToString(),
            access_token_lifetime = AccessTokenSeconds,
        });
        Assert.Equal(HttpStatusCode.NoContent, approved.StatusCode);
    }

    private static async Task Watching(AgentProcess agent, Task wait)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nagent output:\n{agent.Output}", e);
        }
    }

    private static string? CurrentShootNumber(AgentHarness h)
    {
        using var journal = Journal.Open(h.Options.DataFolder);
        return journal.CurrentShootNumber;
    }

    [GeneratedRegex("enter the code (?<code>[A-Z]{4}-[A-Z]{4})")]
    private static partial Regex CodeLine();
}
