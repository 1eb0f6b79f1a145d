namespace Capture.Gateway.Extensions;

/// <summary>The services behind the gateway: the path segment callers use, and the resource name discovery knows them by.</summary>
public sealed record DownstreamService(string PathSegment, string ResourceName, IReadOnlyList<string>? Anonymous = null)
{
    /// <summary>Paths under <c>/api/{segment}/</c> that the gateway passes on without a token (the service verifies them otherwise).</summary>
    public IReadOnlyList<string> AnonymousPaths => Anonymous ?? [];

    public static IReadOnlyList<DownstreamService> All { get; } =
    [
        new("registration", "registration"),
        new("scheduling", "scheduling"),
        new("payment", "payment", ["notify"]),
        new("capture", "capture-ingest"),
        new("verification", "verification"),
    ];

    /// <summary>The address from Aspire's configuration contract, <c>services:{name}:http:0</c>, or null when it is not configured.</summary>
    public string? Address(IConfiguration configuration) =>
        configuration[$"services:{ResourceName}:http:0"] ?? configuration[$"services:{ResourceName}:https:0"];
}
