using Capture.ServiceDefaults.Persistence;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Capture.ServiceDefaults.Messaging;

public static class OutboxExtensions
{
    public static IServiceCollection AddOutboxRelay<TContext>(this IServiceCollection services) where TContext : ServiceDbContext
    {
        services.AddOptions<OutboxRelayOptions>().BindConfiguration("Outbox");
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxSignalInterceptor>();
        services.AddHostedService<OutboxRelay<TContext>>();
        services.AddMetrics();
        services.AddHostedService<OutboxMetrics<TContext>>();
        return services;
    }

    /// <summary>
    /// <c>GET {prefix}/ops/outbox</c>: what ops need to see that events are flowing: how many are waiting, since when,
    /// the last broker error, and how many messages sit in this service's <c>_error</c> queues. Only the ops role may call it.
    /// </summary>
    public static RouteGroupBuilder MapOutboxApi(this IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix + "/ops").WithTags("Operations");
        group.MapGet("/outbox", GetOutboxStatusAsync)
            .WithName("GetOutboxStatus")
            .WithSummary("Events waiting to be published, the oldest one's time, the last broker error, and messages in this service's error queues.")
            .RequireRoles(CaptureRoles.Ops);
        return group;
    }

    private static async Task<Ok<OutboxStatus>> GetOutboxStatusAsync(ServiceDbContext db, ErrorQueueMonitor errorQueues, CancellationToken ct)
    {
        var pending = db.OutboxMessages.Where(m => m.PublishedAt == null);
        var count = await pending.CountAsync(ct);
        var urgent = await pending.CountAsync(m => m.Urgent, ct);
        var oldest = await pending.OrderBy(m => m.Sequence).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(ct);
        var lastError = await pending.Where(m => m.LastError != null).OrderByDescending(m => m.Sequence).Select(m => m.LastError).FirstOrDefaultAsync(ct);
        var failed = await errorQueues.ReadAsync(ct);
        return TypedResults.Ok(new OutboxStatus(count, oldest, lastError, urgent, failed.Messages, failed.Queues, failed.Unavailable));
    }
}

/// <summary>
/// The ops view of a service's messaging: events waiting in the outbox (how many urgent), the oldest one's time and the
/// last broker error; and messages this service's consumers gave up on, per <c>_error</c> queue (null when the
/// management API cannot be read, with why in <see cref="ErrorQueuesUnavailable"/>).
/// </summary>
public sealed record OutboxStatus(
    int Pending,
    DateTimeOffset? OldestPendingCreatedAt,
    string? LastError,
    int UrgentPending = 0,
    long ErrorMessages = 0,
    IReadOnlyList<ErrorQueueDepth>? ErrorQueues = null,
    string? ErrorQueuesUnavailable = null);
