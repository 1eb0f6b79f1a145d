using Capture.AppHost.Hosting;

namespace Capture.AppHost;

/// <summary>The table a person reads after start: every resource, how to reach it, and the OpenAPI documents.</summary>
public static class ResourceTable
{
    public static void Print(CaptureSystem system, TextWriter output)
    {
        var rows = system.Resources.Select(r => (r.Name, r.Kind, r.Url, Pid: r.Pid?.ToString() ?? "")).ToList();
        foreach (var service in ServiceDefinition.Services)
        {
            var segment = service.ResourceName == "capture-ingest" ? "capture" : service.ResourceName;
            rows.Add(($"{service.ResourceName} openapi", "document", $"{system.GatewayUri}openapi/{segment}.json", ""));
        }

        var nameWidth = Math.Max(8, rows.Max(r => r.Name.Length));
        var kindWidth = Math.Max(4, rows.Max(r => r.Kind.Length));
        var urlWidth = Math.Max(3, rows.Max(r => r.Url.Length));
        output.WriteLine();
        output.WriteLine($"  {"resource".PadRight(nameWidth)}  {"kind".PadRight(kindWidth)}  {"url".PadRight(urlWidth)}  pid");
        output.WriteLine($"  {new string('-', nameWidth)}  {new string('-', kindWidth)}  {new string('-', urlWidth)}  -------");
        foreach (var row in rows)
        {
            output.WriteLine($"  {row.Name.PadRight(nameWidth)}  {row.Kind.PadRight(kindWidth)}  {row.Url.PadRight(urlWidth)}  {row.Pid}");
        }

        output.WriteLine();
        output.WriteLine($"  Gateway: {system.GatewayUri}   Health: {system.GatewayUri}health   Dev tokens: POST {system.GatewayUri}dev/token");
        output.WriteLine("  RabbitMQ management login: guest / guest.   Ctrl+C stops everything.");
        output.WriteLine();
    }
}
