using Microsoft.Extensions.Logging;

namespace Capture.ServiceDefaults.Time;

/// <summary>
/// The loop every sweeper, poller and clock of the services runs: a round at once, then a wait, then a round again, until
/// the host stops. A round that fails is logged and the next one tries again, so a database or provider out of reach for
/// a while never stops the work for good; stopping the host ends the loop quietly, between rounds or inside one.
/// </summary>
public static partial class Periodic
{
    /// <summary>A wait shorter than this (a zero or negative interval in configuration) is taken as this, so a misconfigured loop never spins.</summary>
    public static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="round"/> until <paramref name="stopping"/> is cancelled, waiting <paramref name="wait"/> between
    /// rounds; a failed round is logged under <paramref name="work"/> (e.g. "Photo sweep") and the loop goes on.
    /// </summary>
    public static async Task RunAsync(string work, Func<CancellationToken, Task> round, Func<CancellationToken, Task> wait, ILogger logger, CancellationToken stopping)
    {
        // The caller (a host starting its services) gets its task back at once, even when a round finishes without waiting.
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await round(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRoundFailed(logger, work, e);
            }

            try
            {
                await wait(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>A wait of <paramref name="interval"/> (read again before every wait, so a changed setting takes effect) on <paramref name="time"/>.</summary>
    public static Func<CancellationToken, Task> Every(Func<TimeSpan> interval, TimeProvider time) =>
        ct => Task.Delay(Clamp(interval()), time, ct);

    /// <summary>The interval, or <see cref="MinimumWait"/> when it is shorter.</summary>
    public static TimeSpan Clamp(TimeSpan interval) => interval < MinimumWait ? MinimumWait : interval;

    [LoggerMessage(LogLevel.Error, "{Work} failed; the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, string work, Exception exception);
}
