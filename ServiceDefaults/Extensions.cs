using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Capture service gets, in the shape of .NET Aspire's ServiceDefaults template: telemetry, health,
/// service discovery, resilient HttpClients, ProblemDetails, OpenAPI, correlation ids and JWT authentication.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string ReadinessEndpointPath = "/health/ready";
    public const string BrokerHealthEndpointPath = "/health/broker";
    public const string AlivenessEndpointPath = "/alive";
    public const string ReadyTag = "ready";
    public const string LiveTag = "live";

    /// <summary>The message broker's check: in <c>/health</c> and <c>/health/broker</c>, never in readiness.</summary>
    public const string BrokerTag = "broker";

    /// <summary>Meter and activity source names of our own code (capture-day counters live under these).</summary>
    public const string CaptureTelemetryPrefix = "Capture.";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        // Every health probe and HttpClient call would otherwise log four info lines; keep the logs for what matters.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsDefaults.Customize);

        // Binding failures throw, and one handler answers them as 400 naming the field (BadRequestExceptionHandler).
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi(options => options.AddCaptureConventions());
        builder.AddCaptureAuthentication();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", "Npgsql", CaptureTelemetryPrefix + "*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, "MassTransit", CaptureTelemetryPrefix + "*")
                .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                    !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                    && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation()
                .AddSource("Npgsql"));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        else
        {
            // Nobody collects traces: keep the activities (trace ids, W3C propagation, traceresponse) but record no
            // span data, which cost about a millisecond of CPU per check-in for nothing.
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOffSampler()));
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps the health endpoints, anonymous and on in every environment (orchestrators probe them without tokens; they
    /// reveal only check names and states):
    /// <list type="bullet">
    /// <item><c>/health</c>: everything, the service's own database and object store, the broker and the process; what
    /// the gateway's aggregated health and dashboards read.</item>
    /// <item><c>/health/ready</c>: readiness, can this pod serve requests: its own database and object store, not the
    /// broker. A RabbitMQ blip must not take every pod out of service: the outbox holds the events meanwhile.</item>
    /// <item><c>/health/broker</c>: the broker alone, for dashboards and alerts.</item>
    /// <item><c>/alive</c>: liveness, the process answers; it never depends on anything else.</item>
    /// </list>
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag) || check.Tags.Contains(LiveTag) || check.Tags.Contains(BrokerTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        app.MapHealthChecks(ReadinessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => (check.Tags.Contains(ReadyTag) || check.Tags.Contains(LiveTag)) && !check.Tags.Contains(BrokerTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        app.MapHealthChecks(BrokerHealthEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(BrokerTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    /// <summary>The middleware every service runs, in order: errors as ProblemDetails, correlation, body limits, auth, query and route text rules.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseBodyLimits();
        app.UseAuthentication();
        app.UseScopeClaims();
        app.UseAuthorization();
        app.UseQueryAndRouteTextRules();
        return app;
    }
}
