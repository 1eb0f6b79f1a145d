using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Capture.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    public const string ConnectionName = "messaging";
    public const string QuorumQueuesKey = "Messaging:QuorumQueues";

    /// <summary>
    /// MassTransit over RabbitMQ from <c>ConnectionStrings:messaging</c> (an amqp URI): kebab-case endpoint names
    /// prefixed by the service's resource name, so queues read like <c>scheduling-registration-approved</c> and two
    /// services consuming the same event each get every message (one shared queue would split them between the
    /// services as competing consumers). <paramref name="endpointPrefix"/> defaults to the kebab-case last part of the
    /// application name (<c>Capture.CaptureIngest</c> → <c>capture-ingest</c>). Every consumer retries with
    /// exponential back-off and then MassTransit moves the message to its <c>_error</c> queue; nothing is dropped.
    /// Publisher confirms are on (MassTransit's default), which the outbox relies on. With
    /// <c>Messaging:QuorumQueues=true</c> (the Kubernetes manifests set it: a 3-node RabbitMQ) every consumer queue is
    /// declared as a quorum queue, replicated over the cluster's nodes; off by default, because an existing classic
    /// queue cannot be redeclared as quorum (a local run's data keeps its classic queues).
    /// </summary>
    public static IHostApplicationBuilder AddServiceMessaging(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configure = null,
        string? endpointPrefix = null)
    {
        var prefix = endpointPrefix ?? ResourceName(builder.Environment.ApplicationName);
        var uri = ParseUri(builder.Configuration.GetConnectionString(ConnectionName));
        var retry = builder.Configuration.GetSection("Messaging").Get<MessagingRetryOptions>() ?? new MessagingRetryOptions();
        var quorumQueues = builder.Configuration.GetValue<bool>(QuorumQueuesKey);
        var management = builder.Configuration[ErrorQueueMonitor.ManagementUriKey];
        builder.Services.AddSingleton(new ErrorQueueMonitorOptions(prefix, VirtualHostOf(uri)));
        builder.Services.AddHttpClient<ErrorQueueMonitor>(http => ErrorQueueMonitor.Configure(http, string.IsNullOrWhiteSpace(management) ? null : new Uri(management)));
        builder.Services.AddHealthChecks().AddCheck<ErrorQueueHealthCheck>(ErrorQueueHealthCheck.Name, HealthStatus.Degraded, [Extensions.BrokerTag]);
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix, false));
            // The broker's check is tagged broker only (instead of MassTransit's "ready"): it shows in /health and
            // /health/broker, not in readiness, so a RabbitMQ blip does not take every pod out of service.
            bus.ConfigureHealthCheckOptions(health => health.Tags.Add(Extensions.BrokerTag));
            configure?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                endpoint.UseMessageRetry(r => r.Exponential(retry.RetryLimit, retry.MinInterval, retry.MaxInterval, retry.IntervalDelta));
                if (quorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri, host => host.PublisherConfirmation = true);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary><c>Capture.CaptureIngest</c> → <c>capture-ingest</c>: the resource name DESIGN.md gives each service.</summary>
    public static string ResourceName(string applicationName)
    {
        var last = applicationName.Split('.', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? applicationName;
        var builder = new System.Text.StringBuilder(last.Length + 4);
        for (var i = 0; i < last.Length; i++)
        {
            var c = last[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(last[i - 1]) || (i + 1 < last.Length && char.IsLower(last[i + 1]))))
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>The virtual host an amqp URI names (its path, unescaped), <c>/</c> when it names none.</summary>
    public static string VirtualHostOf(Uri amqp)
    {
        var path = amqp.AbsolutePath.TrimStart('/');
        return path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
    }

    private static Uri ParseUri(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:messaging is not set: give the RabbitMQ amqp URI, e.g. amqp://guest:guest@127.0.0.1:5672 "
                + "(environment variable ConnectionStrings__messaging; the AppHost sets it).");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            throw new InvalidOperationException($"ConnectionStrings:messaging must be an amqp:// or amqps:// URI; got '{uri?.Scheme ?? "something else"}'.");
        }

        return uri;
    }
}

/// <summary>How consumers retry before a message goes to the error queue (configuration section <c>Messaging</c>).</summary>
public sealed record MessagingRetryOptions
{
    public int RetryLimit { get; init; } = 5;

    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan IntervalDelta { get; init; } = TimeSpan.FromMilliseconds(500);
}
