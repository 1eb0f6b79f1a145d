using System.Globalization;
using Capture.StationAgent.Core;
using Spectre.Console;

namespace Capture.StationAgent;

/// <summary>
/// The photographer's screen: each line typed (the scanner ends a code with Enter) is a scan, a shoot number, or a
/// command (<c>/accept N</c>, <c>/status</c>, <c>/journal</c>, <c>/quit</c>); check-ins show the shoot number large,
/// verdicts arrive from the feed, and a status line is printed when something changes and every 30 s.
/// </summary>
public sealed class AgentScreen(StationAgentCore agent, IAnsiConsole console, TextReader input)
{
    private readonly Lock write = new();

    public async Task<int> RunAsync(CancellationToken ct)
    {
        agent.Watcher.ShotRecorded += shot => Say(shot.State == ShotState.Unassigned
            ? $"[yellow]{Markup.Escape(shot.FileName)}: no shoot number yet: kept, NOT sent. Scan the student first.[/]"
            : $"shot [bold]{shot.ShootNumber} #{shot.ShotIndex}[/]{(shot.Keyframe ? " (capture-code frame)" : "")}: {Markup.Escape(shot.FileName)} journaled");
        agent.Watcher.FileReported += shot =>
        {
            if (shot.State == ShotState.NotImage)
            {
                Say($"[red]{Markup.Escape(shot.FileName)} is {Markup.Escape(shot.Error ?? "not an image")}: kept in the folder, not sent.[/]");
            }
        };
        agent.Watcher.FileIncomplete += (path, why) => Say($"[yellow]{Markup.Escape(Path.GetFileName(path))} is still incomplete ({Markup.Escape(why)}): check the camera cable.[/]");
        agent.Uploader.ShotStored += shot => Say($"[green]sent[/] {shot.ShootNumber} #{shot.ShotIndex} ({Markup.Escape(shot.FileName)})");
        agent.Uploader.ShotRefused += (shot, why) => Say($"[red]{Markup.Escape(shot.FileName)} refused: {Markup.Escape(why)} (the file stays where it is)[/]");
        agent.Feed.PhotoChanged += (photo, _) => ShowVerdict(photo);

        agent.Start();
        console.Write(new Rule("[bold]Capture station agent[/]"));
        Say($"station {agent.Options.StationId}, camera folder {Markup.Escape(agent.Options.HotFolder)}, journal {Markup.Escape(agent.Options.DataFolder)}");
        Say("Scan a capture code or student card (or type a shoot number), then shoot. /accept N picks shot N, /status, /journal, /quit.");
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(30));
        var tick = Task.Run(async () =>
        {
            while (await ticker.WaitForNextTickAsync(ct))
            {
                ShowStatus();
            }
        }, ct);

        while (!ct.IsCancellationRequested)
        {
            var line = await input.ReadLineAsync(ct);
            if (line is null || line.Trim() == "/quit")
            {
                break;
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                await HandleAsync(line, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SignInException && !ct.IsCancellationRequested)
            {
                Say($"[red]{Markup.Escape(e.Message)}[/]");
            }
        }

        ShowStatus();
        return 0;
    }

    private async Task HandleAsync(string line, CancellationToken ct)
    {
        if (line == "/status")
        {
            ShowStatus();
            return;
        }

        if (line == "/journal")
        {
            foreach (var shot in agent.Journal.All().TakeLast(20))
            {
                Say($"{shot.Id}: {Markup.Escape(shot.FileName)} {shot.ShootNumber} #{shot.ShotIndex} {Journal.StateText(shot.State)} {shot.Verdict}");
            }

            return;
        }

        if (line.StartsWith("/accept", StringComparison.Ordinal))
        {
            await AcceptAsync(line, ct);
            return;
        }

        var outcome = await agent.ScanAsync(line, null, ct);
        if (outcome.NeedsOverrideReason)
        {
            Say($"[yellow]Wrong session: {Markup.Escape(outcome.Detail ?? "")}[/]");
            Say("Admit anyway? Type the reason the school agreed (empty line = no):");
            var reason = (await input.ReadLineAsync(ct))?.Trim();
            if (string.IsNullOrEmpty(reason))
            {
                Say("Not admitted.");
                return;
            }

            outcome = await agent.ScanAsync(line, reason, ct);
        }

        ShowScan(outcome);
    }

    private async Task AcceptAsync(string line, CancellationToken ct)
    {
        var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        var current = agent.Journal.CurrentShootNumber;
        if (current is null || parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            Say("Usage: /accept N [reason for a failed shot] (N = shot number of the current student)");
            return;
        }

        var shot = agent.Journal.ForShootNumber(current).FirstOrDefault(s => s.ShotIndex == index);
        if (shot is null)
        {
            Say($"No shot {index} for {current}.");
            return;
        }

        var (status, detail) = await agent.AcceptAsync(shot, parts.Length > 2 ? parts[2] : null, ct);
        Say((int)status < 300 ? $"[green]{current} #{index} is the final photo.[/]" : $"[red]Not accepted ({(int)status}): {Markup.Escape(detail)}[/]");
    }

    private void ShowScan(ScanOutcome outcome)
    {
        lock (write)
        {
            if (!outcome.Accepted)
            {
                console.Write(new Panel(new Markup($"[bold red]{Markup.Escape(outcome.Reason ?? "refused")}[/]\n{Markup.Escape(outcome.Detail ?? "")}"))
                    .Header("NOT checked in").BorderColor(Color.Red));
                return;
            }

            var rows = new List<Spectre.Console.Rendering.IRenderable>
            {
                new FigletText(outcome.ShootNumber ?? "?").Color(Color.Green),
                new Markup($"[bold]{Markup.Escape(outcome.StudentName ?? "")}[/]  {Markup.Escape(outcome.CollegeName ?? "")}{(outcome.Repeated ? "  (scanned before: same number)" : "")}"),
            };
            rows.AddRange(outcome.Warnings.Select(w => new Markup($"[yellow]! {Markup.Escape(w)}[/]")));
            console.Write(new Panel(new Rows(rows)).Header("shoot number 拍摄号").BorderColor(Color.Green));
        }
    }

    private void ShowVerdict(FeedPhoto photo)
    {
        lock (write) // one verdict's lines stay together when the feed and a scan write at once
        {
            foreach (var line in VerdictLines(photo))
            {
                Say(line);
            }
        }
    }

    /// <summary>What the screen says about a photo from the feed (Spectre markup): pass, or fail with each reason and what to fix.</summary>
    internal static IEnumerable<string> VerdictLines(FeedPhoto photo)
    {
        var head = $"{Markup.Escape(photo.ShootNumber)} #{photo.ShotIndex}";
        switch (photo.Verdict)
        {
            case "passed":
                yield return $"[bold green]PASS 合格[/] {head}{(photo.Accepted ? " (final photo)" : $"  /accept {photo.ShotIndex} to keep it")}";
                break;
            case "failed":
                yield return $"[bold red]FAIL 不合格[/] {head}";
                foreach (var m in photo.Measures.Where(m => !m.Passed || photo.FailedMeasures.Contains(m.Name)))
                {
                    yield return $"  [red]{Markup.Escape(m.Name)}[/]: {Markup.Escape(m.ReasonZh ?? "")} / {Markup.Escape(m.ReasonEn ?? "")}";
                    yield return $"    → {Markup.Escape(VerdictAdvice.ForMeasure(m.Name))}";
                }

                foreach (var name in photo.FailedMeasures.Where(n => photo.Measures.All(m => m.Name != n)))
                {
                    yield return $"  [red]{Markup.Escape(name)}[/] → {Markup.Escape(VerdictAdvice.ForMeasure(name))}";
                }

                break;
            case "rejected":
                yield return $"[bold red]REJECTED 无法处理[/] {head}: {Markup.Escape(photo.RejectReason ?? "")} → retake 重拍";
                break;
            case "keyframe":
                yield return $"capture-code frame {head} read";
                break;
            default:
                yield return $"{head}: {Markup.Escape(photo.Status)}{(photo.HeldReason is { } held ? $" [yellow](held: {Markup.Escape(held)})[/]" : "")}, verdict pending";
                break;
        }
    }

    private void ShowStatus()
    {
        var s = agent.Snapshot();
        var speed = s.LastUploadBytesPerSecond is { } bps ? $"{bps / 1_000_000:0.0} MB/s" : "-";
        var oldest = s.OldestUnsent is { } o ? $", oldest unsent {o.ToLocalTime():HH:mm:ss}" : "";
        Say($"[{(s.Online ? "green]ONLINE" : "red]OFFLINE")}[/] queue {s.QueueLength}{oldest}, last upload {speed}, feed {(s.FeedConnected ? "on" : "off")}, current {s.CurrentShootNumber ?? "-"}"
            + (s.LastError is { } e && !s.Online ? $" ({Markup.Escape(e)})" : ""));
        foreach (var w in s.Warnings)
        {
            Say($"[yellow]! {Markup.Escape(w)}[/]");
        }
    }

    private void Say(string markup)
    {
        lock (write)
        {
            console.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] {markup}");
        }
    }
}
