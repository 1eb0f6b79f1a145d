using Capture.ServiceDefaults.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy.Configuration;

namespace Capture.Gateway.Extensions;

public static class GatewayServiceExtensions
{
    public const string AuthenticatedPolicy = "default";
    public const string AnonymousPolicy = "anonymous";
    public const string WebResourceName = "web";

    /// <summary>
    /// Routes <c>/api/{segment}/**</c> to each service (path unchanged) and <c>/openapi/{segment}.json</c> to the service's
    /// OpenAPI document. API routes need a valid token here; the service checks the role and scope again.
    /// Destinations come from <c>services:{name}:http:0</c> (Microsoft.Extensions.ServiceDiscovery.Yarp is not obtainable,
    /// so the gateway reads the same configuration keys itself).
    /// </summary>
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        var health = builder.Services.AddHealthChecks();

        foreach (var service in DownstreamService.All)
        {
            var address = service.Address(builder.Configuration);
            var destinations = new Dictionary<string, DestinationConfig>();
            if (address is not null)
            {
                destinations["primary"] = new DestinationConfig { Address = address };
            }

            clusters.Add(new ClusterConfig { ClusterId = service.ResourceName, Destinations = destinations });
            routes.Add(new RouteConfig
            {
                RouteId = service.ResourceName + "-api",
                ClusterId = service.ResourceName,
                AuthorizationPolicy = AuthenticatedPolicy,
                Match = new RouteMatch { Path = $"/api/{service.PathSegment}/{{**rest}}" },
            });
            foreach (var path in service.AnonymousPaths)
            {
                // Callers without a token (a payment provider's notify): the service proves them by signature instead.
                routes.Add(new RouteConfig
                {
                    RouteId = $"{service.ResourceName}-anonymous-{path.Trim('/').Replace('/', '-')}",
                    ClusterId = service.ResourceName,
                    AuthorizationPolicy = AnonymousPolicy,
                    Order = -1,
                    Match = new RouteMatch { Path = $"/api/{service.PathSegment}/{path.Trim('/')}/{{**rest}}" },
                });
            }

            routes.Add(new RouteConfig
            {
                RouteId = service.ResourceName + "-openapi",
                ClusterId = service.ResourceName,
                AuthorizationPolicy = AnonymousPolicy,
                Match = new RouteMatch { Path = $"/openapi/{service.PathSegment}.json" },
                Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
            });

            health.Add(new HealthCheckRegistration(
                service.ResourceName,
                sp => new DownstreamHealthCheck(sp.GetRequiredService<IHttpClientFactory>(), address),
                // Degraded, not Unhealthy: one service down must not take the gateway (and the other four) out of rotation.
                HealthStatus.Degraded,
                [Microsoft.Extensions.Hosting.Extensions.ReadyTag]));
        }

        // Everything that is not an API, the token issuer or health is a page of the web app (resource "web"): the
        // gateway stays the only public entry. Lowest priority, anonymous here (the web app signs people in itself).
        var web = builder.Configuration[$"services:{WebResourceName}:http:0"] ?? builder.Configuration[$"services:{WebResourceName}:https:0"];
        if (web is not null)
        {
            clusters.Add(new ClusterConfig
            {
                ClusterId = WebResourceName,
                Destinations = new Dictionary<string, DestinationConfig> { ["primary"] = new() { Address = web } },
            });
            routes.Add(new RouteConfig
            {
                RouteId = WebResourceName,
                ClusterId = WebResourceName,
                AuthorizationPolicy = AnonymousPolicy,
                Order = int.MaxValue,
                Match = new RouteMatch { Path = "/{**page}" },
                // The pages build absolute links and redirects (sign-in) from the Host the browser used, not the web pod's.
                Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
            });
            health.Add(new HealthCheckRegistration(
                WebResourceName,
                sp => new DownstreamHealthCheck(sp.GetRequiredService<IHttpClientFactory>(), web),
                HealthStatus.Degraded,
                [Microsoft.Extensions.Hosting.Extensions.ReadyTag]));
        }

        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        builder.Services.AddHttpClient(DownstreamHealthCheck.HttpClientName);
        return builder;
    }
}
