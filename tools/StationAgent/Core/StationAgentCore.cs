using System.Net;

namespace Capture.StationAgent.Core;

/// <summary>
/// One station's agent without any screen: the journal, the hot-folder watcher, the uploader, the verdict feed and the
/// check-in client, wired together. The console (Program.cs) and the tests drive it the same way.
/// </summary>
public sealed class StationAgentCore : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private readonly TimeProvider time;

    public StationAgentCore(AgentOptions options, CaptureApi api, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        Options = options;
        Api = api;
        Journal = Journal.Open(options.DataFolder);
        Watcher = new HotFolderWatcher(options, Journal, this.time);
        Uploader = new Uploader(options, Journal, api, Status, this.time);
        Feed = new VerdictFeed(options, Journal, api, Status);
        Watcher.ShotRecorded += _ => Uploader.Nudge();
    }

    public AgentOptions Options { get; }

    public CaptureApi Api { get; }

    public Journal Journal { get; }

    public AgentStatus Status { get; } = new();

    public HotFolderWatcher Watcher { get; }

    public Uploader Uploader { get; }

    public VerdictFeed Feed { get; }

    public DateTimeOffset? LastScanAt { get; private set; }

    public void Start()
    {
        loops.Add(Loop(Watcher.RunAsync));
        loops.Add(Loop(Uploader.RunAsync));
        loops.Add(Loop(Feed.RunAsync));
    }

    /// <summary>
    /// A scanned line: a capture code or student number checks the student in (the shoot number becomes current on
    /// 201/200); a typed shoot number becomes current at once, without the network.
    /// </summary>
    public async Task<ScanOutcome> ScanAsync(string input, string? overrideReason = null, CancellationToken ct = default)
    {
        var (kind, value) = ScanInput.Classify(input);
        if (kind == ScanKind.ShootNumber)
        {
            UseShootNumber(value);
            return new ScanOutcome(true, value, null, null, ["typed by hand: make sure this student was checked in under this number"], null, null, false, null);
        }

        CheckInAnswer answer;
        try
        {
            answer = await Api.CheckInAsync(Options.StationId,
                kind == ScanKind.CaptureCode ? value : null, kind == ScanKind.StudentNumber ? value : null, Options.SessionId, overrideReason, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SignInException && !ct.IsCancellationRequested)
        {
            Status.Online = false;
            return new ScanOutcome(false, null, null, null, [], "offline",
                "The server cannot be reached: shots go on being journaled. Type the shoot number from the sheet if the student already has one.", false, null);
        }

        Status.Online = true;
        if (!answer.CheckedIn)
        {
            return new ScanOutcome(false, null, null, null, [],
                answer.Reason ?? (answer.Status == HttpStatusCode.ServiceUnavailable ? "registration-unreachable" : ((int)answer.Status).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                answer.Detail ?? CaptureApi.ProblemText(answer.Body.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "" : answer.Body.GetRawText()),
                false, answer);
        }

        UseShootNumber(answer.ShootNumber!);
        var warnings = answer.Warnings.ToList();
        if (answer.Body.TryGetProperty("late", out var late) && late.ValueKind == System.Text.Json.JsonValueKind.True && !warnings.Any(w => w.Contains("late", StringComparison.OrdinalIgnoreCase)))
        {
            warnings.Add("late: their own session was earlier");
        }

        return new ScanOutcome(true, answer.ShootNumber, answer.Text("studentName"), answer.Text("collegeName"), warnings, null, null,
            answer.Status == HttpStatusCode.OK, answer);
    }

    public void UseShootNumber(string shootNumber)
    {
        Journal.SetCurrentShootNumber(shootNumber, Options.KeyframeAfterScan);
        LastScanAt = time.GetUtcNow();
    }

    /// <summary>Picks this shot of the current student as their final photo.</summary>
    public Task<(HttpStatusCode Status, string Detail)> AcceptAsync(Shot shot, string? overrideReason, CancellationToken ct = default) =>
        shot.ServerPhotoId is { } id
            ? Api.AcceptAsync(id, overrideReason, ct)
            : Task.FromResult((HttpStatusCode.Conflict, "This shot has not reached the server yet: wait for it to be sent."));

    public StatusSnapshot Snapshot()
    {
        var (count, oldest) = Journal.Queue();
        var warnings = new List<string>();
        try
        {
            var drive = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(Options.HotFolder))!);
            if (drive.AvailableFreeSpace < Options.LowDiskBytes)
            {
                warnings.Add($"disk nearly full: {drive.AvailableFreeSpace / (1024 * 1024)} MB free where the camera writes");
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // No drive information on this platform: no warning.
        }

        var now = time.GetUtcNow();
        var lastActivity = new[] { Watcher.LastFileAt, LastScanAt }.Max();
        if (Journal.CurrentShootNumber is not null && lastActivity is { } last && now - last > Options.CameraSilentAfter)
        {
            warnings.Add($"camera silent for {(int)(now - last).TotalMinutes} min: check the USB cable and the tethering software's folder");
        }

        if (Watcher.Incomplete > 0)
        {
            warnings.Add($"{Watcher.Incomplete} file(s) still being written");
        }

        if (Api.Tokens.ExpiresAt is { } expires && expires - now < TimeSpan.FromMinutes(30))
        {
            warnings.Add($"sign-in expires at {expires.ToLocalTime():HH:mm}: {Api.Tokens.ExpiryAdvice}");
        }

        if (Api.Tokens.SignInNeeded is { } signIn)
        {
            warnings.Add(signIn);
        }

        return new StatusSnapshot(Status.Online, Status.FeedConnected, count, oldest, Status.LastUploadBytesPerSecond,
            Journal.CurrentShootNumber, Status.LastError, warnings);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException)
        {
        }

        Journal.Dispose();
        stop.Dispose();
    }

    // A loop that fails in a way nobody foresaw (a permission error on the folder, a full disk under the journal) is
    // started again after a pause, with the error on the status line: the agent must not stop sending silently.
    private Task Loop(Func<CancellationToken, Task> run) => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await run(stop.Token);
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Status.LastError = $"{e.GetType().Name}: {e.Message}";
                try
                {
                    await Task.Delay(Options.MaxRetryAfter, time, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    });
}
