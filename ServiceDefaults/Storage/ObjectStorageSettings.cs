namespace Capture.ServiceDefaults.Storage;

/// <summary>
/// Parsed from <c>ConnectionStrings:photos</c>, the format .NET Aspire's MinIO integration uses:
/// <c>Endpoint=http://host:port;AccessKey=...;SecretKey=...</c>.
/// </summary>
public sealed record ObjectStorageSettings(Uri Endpoint, string AccessKey, string SecretKey)
{
    public static ObjectStorageSettings Parse(string? connectionString, string connectionName = "photos")
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not set: give Endpoint=http://host:port;AccessKey=...;SecretKey=... "
                + $"(environment variable ConnectionStrings__{connectionName}; the AppHost sets it).");
        }

        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);

        string Required(string key) => parts.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidOperationException($"ConnectionStrings:{connectionName} lacks '{key}='; expected Endpoint=http://host:port;AccessKey=...;SecretKey=...");

        var endpointText = Required("Endpoint");
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != "http" && endpoint.Scheme != "https"))
        {
            throw new InvalidOperationException($"ConnectionStrings:{connectionName} has Endpoint '{endpointText}'; it must be an http:// or https:// URL.");
        }

        return new ObjectStorageSettings(endpoint, Required("AccessKey"), Required("SecretKey"));
    }
}
