using System.Diagnostics;
using System.Text;

namespace Capture.StationAgent.Tests;

/// <summary>The agent as a photographer runs it: <c>capture-station-agent run</c> as a child process, scans typed on its stdin.</summary>
public sealed class AgentProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private AgentProcess(Process process) => this.process = process;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The agent for the harness's station; signed in with <c>--dev-venue</c> unless <paramref name="signIn"/> gives other options (e.g. <c>--authority</c>).</summary>
    public static AgentProcess Start(AgentHarness h, IReadOnlyList<string>? signIn = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "capture-station-agent.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            dll, "run", "--plain",
            "--server", h.Options.Server.ToString(),
            "--station", h.Station.ToString(),
            "--folder", h.Options.HotFolder,
            "--data", h.Options.DataFolder,
            "--session", (h.Options.SessionId ?? h.Day.Session).ToString(),
            "--stable-ms", "400",
        }.Concat(signIn ?? ["--dev-venue", h.Day.Venue.ToString(), "--dev-school", h.Day.School, "--dev-subject", "photographer"]))
        {
            info.ArgumentList.Add(arg);
        }

        var agent = new AgentProcess(Process.Start(info)!);
        agent.process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        agent.process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        agent.process.BeginOutputReadLine();
        agent.process.BeginErrorReadLine();
        return agent;
    }

    public async Task TypeAsync(string line)
    {
        await process.StandardInput.WriteLineAsync(line);
        await process.StandardInput.FlushAsync();
    }

    /// <summary>SIGKILL: no cleanup of any kind, as when the laptop loses power.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
