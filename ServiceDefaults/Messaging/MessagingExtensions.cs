using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Capture.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    public const string ConnectionName = "messaging";

    /// <summary>
    /// MassTransit over RabbitMQ from <c>ConnectionStrings:messaging</c> (an amqp URI): kebab-case endpoint names
    /// prefixed by nothing, so queues read like <c>registration-approved</c>; every consumer retries with
    /// exponential back-off and then MassTransit moves the message to its <c>_error</c> queue; nothing is dropped.
    /// Publisher confirms are on (MassTransit's default), which the outbox relies on.
    /// </summary>
    public static IHostApplicationBuilder AddServiceMessaging(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var uri = ParseUri(builder.Configuration.GetConnectionString(ConnectionName));
        var retry = builder.Configuration.GetSection("Messaging").Get<MessagingRetryOptions>() ?? new MessagingRetryOptions();
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            configure?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                endpoint.UseMessageRetry(r => r.Exponential(retry.RetryLimit, retry.MinInterval, retry.MaxInterval, retry.IntervalDelta));
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri, host => host.PublisherConfirmation = true);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
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
