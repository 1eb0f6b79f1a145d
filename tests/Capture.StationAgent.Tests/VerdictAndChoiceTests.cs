using Capture.CaptureIngest.Tests;
using Capture.StationAgent.Core;
using Capture.Testing;

namespace Capture.StationAgent.Tests;

/// <summary>
/// The photographer's decisions with the agent's command (<c>capture-station-agent run</c>) against the real system:
/// verdicts from CaptureIngest's standardisation worker on real portraits (a good capture passes, a blurred one fails
/// on sharpness) reach the journal and the screen; <c>/accept N</c> picks the final photo on the server; a student
/// scanned in a session before their own is admitted only with the reason typed at the override question.
/// </summary>
[Collection(nameof(AgentSystem))]
public sealed class VerdictAndChoiceTests(AgentSystemFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Real_pass_and_fail_verdicts_reach_the_journal_and_screen_and_accept_picks_the_passing_shot_on_the_server()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 1);
        var student = day.Students[0];
        var shootNumber = await day.CheckInElsewhereAsync(fixture, day.Stations[0], student); // waits until the payment has arrived
        await using var h = AgentHarness.Start(fixture, day, day.Stations[0]);
        await h.StopAbruptlyAsync(); // the folders and proxy only: the command runs the agent

        using var agent = AgentProcess.Start(h);
        await agent.TypeAsync(student.CaptureCode);
        await Watching(agent, Eventually.TrueAsync(() => CurrentShootNumber(h) == shootNumber, Patience, "the scan (same shoot number as the first check-in)"));

        await h.Camera.ShootAsync(await File.ReadAllBytesAsync(TestPhotos.Good));
        await h.Camera.ShootAsync(await File.ReadAllBytesAsync(TestPhotos.Blurred));
        await Watching(agent, Eventually.TrueAsync(() => Shots(h) is { Count: 2 } s && s.All(x => x.Verdict is "passed" or "failed"), Patience, "both verdicts in the journal"));

        var shots = Shots(h);
        Assert.Equal(("passed", 1), (shots[0].Verdict, shots[0].ShotIndex));
        Assert.Equal(("failed", 2), (shots[1].Verdict, shots[1].ShotIndex));
        Assert.Contains("sharpness", shots[1].FailedMeasures ?? "", StringComparison.Ordinal);
        await Watching(agent, Eventually.TrueAsync(
            () => agent.Output.Contains($"PASS 合格 {shootNumber} #1", StringComparison.Ordinal) && agent.Output.Contains($"FAIL 不合格 {shootNumber} #2", StringComparison.Ordinal)
                && agent.Output.Contains(VerdictAdvice.ForMeasure("sharpness"), StringComparison.Ordinal), // the reason lines follow the head line through the pipe
            Patience, "both verdicts on screen, the failure with what to fix"));
        var failure = agent.Output[agent.Output.IndexOf($"FAIL 不合格 {shootNumber} #2", StringComparison.Ordinal)..];
        Assert.Contains("sharpness", failure, StringComparison.Ordinal);
        Assert.Contains(VerdictAdvice.ForMeasure("sharpness"), failure, StringComparison.Ordinal);

        // The failed shot is not kept without a reason; the passing one becomes the student's final photo on the server.
        await agent.TypeAsync("/accept 2");
        await Watching(agent, Eventually.TrueAsync(() => agent.Output.Contains("Not accepted (400)", StringComparison.Ordinal), Patience, "the refusal of the failed shot"));
        await agent.TypeAsync("/accept 1");
        await Watching(agent, Eventually.TrueAsync(() => agent.Output.Contains($"{shootNumber} #1 is the final photo.", StringComparison.Ordinal), Patience, "the accepted shot"));
        var photos = await day.PhotosAsync(fixture, day.Stations[0], shootNumber);
        Assert.Equal([true, false], photos.Select(p => p.GetProperty("accepted").GetBoolean()));
        Assert.Equal(shots[0].ServerPhotoId, photos[0].GetProperty("id").GetGuid());
        Assert.All(photos, p => Assert.Equal(student.RegistrationId, p.GetProperty("registrationId").GetGuid()));
    }

    [Fact]
    public async Task A_student_scanned_before_their_own_session_is_admitted_only_with_the_reason_typed_at_the_override_question()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 1);
        var student = day.Students[0];
        var early = await day.AddSessionAsync(fixture, "06:00", "07:30");
        await using var h = AgentHarness.Start(fixture, day, day.Stations[0], o => o with { SessionId = early });

        // In process first, to wait out "unpaid" while the payment travels: the server says wrong-session, nothing is checked in.
        await Eventually.TrueAsync(async () => (await h.Agent.ScanAsync(student.CaptureCode)).Reason == "wrong-session", Patience, "wrong-session from Scheduling");
        await h.StopAbruptlyAsync();

        using var agent = AgentProcess.Start(h);
        await agent.TypeAsync(student.CaptureCode);
        await Watching(agent, Eventually.TrueAsync(() => agent.Output.Contains("Admit anyway?", StringComparison.Ordinal), Patience, "the override question"));
        await agent.TypeAsync("");
        await Watching(agent, Eventually.TrueAsync(() => agent.Output.Contains("Not admitted.", StringComparison.Ordinal), Patience, "no admission without a reason"));
        Assert.Null(CurrentShootNumber(h));

        await agent.TypeAsync(student.CaptureCode);
        await Watching(agent, Eventually.TrueAsync(() => Count(agent.Output, "Admit anyway?") == 2, Patience, "the question again"));
        await agent.TypeAsync("学院同意提前拍摄");
        await Watching(agent, Eventually.TrueAsync(() => CurrentShootNumber(h) is not null, Patience, "the admission by override"));
        var shootNumber = CurrentShootNumber(h)!;
        await Watching(agent, Eventually.TrueAsync(() => agent.Output.Contains(student.Name, StringComparison.Ordinal), Patience, "the student's name on screen"));

        // The override check-in is real: a shot now is bound to the student on the server.
        await h.Camera.ShootAsync(TestImages.Jpeg());
        await Watching(agent, Eventually.TrueAsync(() => Shots(h) is [{ State: ShotState.Stored }], Patience, "the shot stored"));
        var photo = Assert.Single(await day.PhotosAsync(fixture, day.Stations[0], shootNumber));
        Assert.Equal(student.RegistrationId, photo.GetProperty("registrationId").GetGuid());
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
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

    private static IReadOnlyList<Shot> Shots(AgentHarness h)
    {
        using var journal = Journal.Open(h.Options.DataFolder);
        return journal.All();
    }
}
