using Capture.StationAgent.Core;
using Capture.Testing;

namespace Capture.StationAgent.Tests;

/// <summary>The agent driven by its command (<c>capture-station-agent run</c>) in a child process that the test kills with SIGKILL.</summary>
[Collection(nameof(AgentSystem))]
public sealed class AgentCommandTests(AgentSystemFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_run_command_killed_mid_upload_and_run_again_loses_nothing_and_sends_nothing_twice()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 1);
        var student = day.Students[0];
        await day.CheckInElsewhereAsync(fixture, day.Stations[0], student); // waits until the payment has arrived
        await using var h = AgentHarness.Start(fixture, day, day.Stations[0]);
        await h.StopAbruptlyAsync(); // the folders and proxy only: the command runs the agent

        string shootNumber;
        string big;
        using (var first = AgentProcess.Start(h))
        {
            await first.TypeAsync(student.CaptureCode);
            await WatchingAsync(first, Eventually.TrueAsync(() => CurrentShootNumber(h) is not null, Patience, "the scan on the command's stdin"));
            shootNumber = CurrentShootNumber(h)!;
            Assert.Equal("S1-0001", shootNumber);
            await Eventually.TrueAsync(() => first.Output.Contains(student.Name, StringComparison.Ordinal), Patience, "the student's name on screen");

            var bytes = TestImages.Jpeg(1200, 900, 95);
            h.Proxy.UpstreamBytesPerSecond = Math.Max(64 * 1024, bytes.Length / 4);
            big = await h.Camera.ShootAsync(bytes);
            await Eventually.TrueAsync(() => Shots(h).Any(s => s.Path == big && s.State == ShotState.Uploading), Patience, "the upload under way");
            var sentBefore = h.Proxy.UpstreamBytes;
            await Eventually.TrueAsync(() => h.Proxy.UpstreamBytes > sentBefore + (bytes.Length / 5), Patience, "part of the body on the wire");
            first.Kill();
        }

        Assert.Empty(await day.PhotosAsync(fixture, day.Stations[0], shootNumber));
        Assert.True(File.Exists(big));
        var whileDown = await h.Camera.ShootAsync(TestImages.Jpeg()); // the camera goes on while the agent is dead

        h.Proxy.UpstreamBytesPerSecond = null;
        using var second = AgentProcess.Start(h);
        await Eventually.TrueAsync(() => Shots(h) is { Count: 2 } shots && shots.All(s => s.State == ShotState.Stored && s.SentPath is not null),
            Patience, "both shots stored after the restart");
        var photos = await day.PhotosAsync(fixture, day.Stations[0], shootNumber);
        Assert.Equal([1, 2], photos.Select(p => p.GetProperty("shotIndex").GetInt32()));
        Assert.All(photos, p => Assert.Equal(student.RegistrationId, p.GetProperty("registrationId").GetGuid()));
        Assert.False(File.Exists(big) || File.Exists(whileDown));

        await second.TypeAsync("/status");
        await Eventually.TrueAsync(() => second.Output.Contains("ONLINE queue 0", StringComparison.Ordinal), Patience, "the status line");
    }

    private static async Task WatchingAsync(AgentProcess agent, Task wait)
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

    private static IReadOnlyList<Shot> Shots(AgentHarness h)
    {
        using var journal = Journal.Open(h.Options.DataFolder);
        return journal.All();
    }
}
