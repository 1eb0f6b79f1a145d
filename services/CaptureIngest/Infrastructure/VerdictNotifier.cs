using System.Collections.Concurrent;
using System.Threading.Channels;
using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>
/// Tells a station's live feed that one of its photos changed (stored, judged), whichever instance did the work:
/// the writer calls <see cref="NotifyAsync"/> inside its transaction (PostgreSQL delivers NOTIFY on commit), and
/// every API instance LISTENs and hands the photo id to the feeds of that station. A lost notification costs
/// nothing but latency: the feed also polls.
/// </summary>
public sealed partial class VerdictNotifier(IConfiguration configuration, ILogger<VerdictNotifier> logger) : BackgroundService
{
    public const string Channel = "capture_photo_changed";

    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Channel<Guid>, byte>> feeds = new();

    public static Task NotifyAsync(DbContext db, Guid stationId, Guid photoId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {stationId.ToString("N") + ":" + photoId.ToString("N")})", ct);

    /// <summary>Photo ids of one station as they change, until the subscription is disposed.</summary>
    public Subscription Subscribe(Guid stationId)
    {
        var channel = System.Threading.Channels.Channel.CreateBounded<Guid>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        feeds.GetOrAdd(stationId, _ => new())[channel] = 0;
        return new Subscription(channel.Reader, () =>
        {
            if (feeds.TryGetValue(stationId, out var set))
            {
                set.TryRemove(channel, out _);
            }
        });
    }

    public sealed class Subscription(ChannelReader<Guid> reader, Action unsubscribe) : IDisposable
    {
        public ChannelReader<Guid> Reader { get; } = reader;

        public void Dispose() => unsubscribe();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = configuration.GetConnectionString(Infrastructure.CaptureIngestDbContext.DatabaseName);
        if (string.IsNullOrEmpty(connectionString))
        {
            return;
        }

        // LISTEN needs a connection of its own that is never returned to a pool with the subscription on it.
        var builder = new NpgsqlConnectionStringBuilder(ServiceConnectionString.WithDefaults(connectionString)) { Pooling = false, KeepAlive = 30 };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                LogListenFailed(logger, e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Dispatch(string payload)
    {
        var parts = payload.Split(':');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var station) || !Guid.TryParseExact(parts[1], "N", out var photo))
        {
            return;
        }

        if (feeds.TryGetValue(station, out var set))
        {
            foreach (var channel in set.Keys)
            {
                channel.Writer.TryWrite(photo);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Listening for photo changes failed; live feeds fall back to polling until it reconnects")]
    private static partial void LogListenFailed(ILogger logger, Exception e);
}
