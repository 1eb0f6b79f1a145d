using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Capture.AppHost.Hosting;

/// <summary>
/// A child process in a session (and process group) of its own, started through <c>setsid</c> so that its PID is
/// the group id: stopping signals the whole group by that PID (never by a process name), waits, then kills what
/// is left. Every output line goes to the log sink tagged with the resource name.
/// </summary>
public sealed partial class ManagedProcess : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private readonly Process process;
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> tail = new();

    private ManagedProcess(string resource, Process process)
    {
        Resource = resource;
        this.process = process;
    }

    public string Resource { get; }

    public int Pid => process.Id;

    /// <summary>Completes with the exit code when the process ends, whoever ended it.</summary>
    public Task<int> Exited => exited.Task;

    public bool HasExited => exited.Task.IsCompleted;

    /// <summary>The last lines the process wrote, for error messages when it fails to come up.</summary>
    public string Tail
    {
        get
        {
            lock (tail)
            {
                return string.Join(Environment.NewLine, tail);
            }
        }
    }

    public static ManagedProcess Start(
        string resource,
        string fileName,
        IEnumerable<string> arguments,
        ILogSink log,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(resource, process);
        process.OutputDataReceived += (_, e) => managed.OnLine(e.Data, false, log);
        process.ErrorDataReceived += (_, e) => managed.OnLine(e.Data, true, log);
        process.Exited += (_, _) => managed.exited.TrySetResult(SafeExitCode(process));
        if (!process.Start())
        {
            throw new InvalidOperationException($"{resource}: could not start {fileName}.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Sends <paramref name="signal"/> to the process group, waits up to <paramref name="grace"/>, then SIGKILLs whatever remains of the group.</summary>
    public async Task StopAsync(int signal = SigTerm, TimeSpan? grace = null)
    {
        var wait = grace ?? TimeSpan.FromSeconds(15);
        if (!HasExited)
        {
            _ = Kill(-Pid, signal);
            await Task.WhenAny(Exited, Task.Delay(wait));
        }

        // The leader may be gone while members of its group linger: those go too.
        if (GroupAlive(Pid) || !HasExited)
        {
            _ = Kill(-Pid, SigKill);
            _ = Kill(Pid, SigKill);
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
        }

        await WaitForGroupToVanishAsync(Pid, TimeSpan.FromSeconds(5));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(SigKill, TimeSpan.FromSeconds(1));
        process.Dispose();
    }

    public static bool IsAlive(int pid) => Kill(pid, 0) == 0;

    public static bool GroupAlive(int pgid) => Kill(-pgid, 0) == 0;

    private static async Task WaitForGroupToVanishAsync(int pgid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (GroupAlive(pgid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    private void OnLine(string? line, bool isError, ILogSink log)
    {
        if (line is null)
        {
            return;
        }

        lock (tail)
        {
            tail.Enqueue(line);
            if (tail.Count > 40)
            {
                tail.Dequeue();
            }
        }

        log.Write(Resource, line, isError);
    }

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
