using System.Collections.Concurrent;
using Capture.ServiceDefaults.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Capture.ServiceDefaults.Tests;

/// <summary>The loop every sweeper and poller runs: it outlives failing rounds, waits as configured, and stops quietly.</summary>
public sealed class PeriodicTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static Task Briefly(CancellationToken ct) => Task.Delay(TimeSpan.FromMilliseconds(10), ct);

    [Fact]
    public async Task A_failing_round_is_logged_with_the_work_and_the_next_round_runs()
    {
        var logger = new RecordingLogger();
        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task Round(CancellationToken ct)
        {
            var n = Interlocked.Increment(ref rounds);
            if (n == 3)
            {
                third.TrySetResult();
            }

            return n <= 2 ? throw new InvalidOperationException($"database out of reach ({n})") : Task.CompletedTask;
        }

        var loop = Periodic.RunAsync("Photo sweep", Round, Briefly, logger, stop.Token);
        await third.Task.WaitAsync(Patience);
        await stop.CancelAsync();
        await loop.WaitAsync(Patience);

        var errors = logger.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("Photo sweep failed", e.Message));
        Assert.Equal(["database out of reach (1)", "database out of reach (2)"], errors.Select(e => e.Exception!.Message));
    }

    [Fact]
    public async Task Stopping_inside_a_round_ends_the_loop_quietly()
    {
        var logger = new RecordingLogger();
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task Round(CancellationToken ct)
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }

        var loop = Periodic.RunAsync("Refund run", Round, Briefly, logger, stop.Token);
        await started.Task.WaitAsync(Patience);
        await stop.CancelAsync();

        await loop.WaitAsync(Patience);
        Assert.True(loop.IsCompletedSuccessfully);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task A_round_cancelled_by_something_else_than_stopping_is_a_failure_and_the_loop_goes_on()
    {
        var logger = new RecordingLogger();
        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task Round(CancellationToken ct)
        {
            if (Interlocked.Increment(ref rounds) == 2)
            {
                second.TrySetResult();
                return Task.CompletedTask;
            }

            // A command timeout inside the round surfaces as a cancellation the host did not ask for.
            throw new TaskCanceledException("command timed out");
        }

        var loop = Periodic.RunAsync("Export sweep", Round, Briefly, logger, stop.Token);
        await second.Task.WaitAsync(Patience);
        await stop.CancelAsync();
        await loop.WaitAsync(Patience);

        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Exception is TaskCanceledException);
    }

    [Fact]
    public async Task Every_waits_the_interval_on_the_given_clock_and_reads_it_again_before_each_wait()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logger = new RecordingLogger();
        using var stop = new CancellationTokenSource();
        var interval = TimeSpan.FromMinutes(5);
        var rounds = new ConcurrentQueue<DateTimeOffset>();
        var roundRan = new SemaphoreSlim(0);
        Task Round(CancellationToken ct)
        {
            rounds.Enqueue(clock.GetUtcNow());
            roundRan.Release();
            return Task.CompletedTask;
        }

        var start = clock.GetUtcNow();
        var loop = Periodic.RunAsync("Verification clock sweep", Round, Periodic.Every(() => interval, clock), logger, stop.Token);
        Assert.True(await roundRan.WaitAsync(Patience), "the first round runs at once");

        // Nothing more until five minutes have passed on the clock.
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(await roundRan.WaitAsync(TimeSpan.FromMilliseconds(200)));
        interval = TimeSpan.FromMinutes(1); // read again before the next wait, not this one
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await roundRan.WaitAsync(Patience), "the second round after the first interval");

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await roundRan.WaitAsync(Patience), "the third round after the changed interval");

        await stop.CancelAsync();
        await loop.WaitAsync(Patience);
        Assert.Equal([start, start.AddMinutes(5), start.AddMinutes(6)], rounds);
        Assert.Empty(logger.Entries);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(-60_000, 100)]
    [InlineData(99, 100)]
    [InlineData(100, 100)]
    [InlineData(60_000, 60_000)]
    public void A_wait_is_never_shorter_than_the_minimum_so_a_misconfigured_loop_never_spins(int milliseconds, int expected) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expected), Periodic.Clamp(TimeSpan.FromMilliseconds(milliseconds)));

    private sealed class RecordingLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
