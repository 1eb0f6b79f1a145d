namespace Capture.AppHost.Hosting;

/// <summary>
/// One .NET project of the system, as the app model knows it: what Aspire's <c>AddProject&lt;T&gt;("name")</c> with its
/// <c>WithReference(...)</c> calls would declare.
/// </summary>
public sealed record ServiceDefinition(
    string ResourceName,
    string ProjectDirectory,
    string AssemblyName,
    int DefaultPort,
    string? Database = null,
    bool UsesObjectStorage = false,
    IReadOnlyList<string>? References = null)
{
    public static ServiceDefinition Registration { get; } = new("registration", "services/Registration", "Capture.Registration", 5101, "registrationdb");

    public static ServiceDefinition Scheduling { get; } = new("scheduling", "services/Scheduling", "Capture.Scheduling", 5102, "schedulingdb", References: ["registration"]);

    public static ServiceDefinition Payment { get; } = new("payment", "services/Payment", "Capture.Payment", 5103, "paymentdb", References: ["registration", "payment-provider"]);

    /// <summary>The WeChat Pay API v3 simulator standing in for the real provider in local runs (tools/PaymentProviderSimulator).</summary>
    public static ServiceDefinition PaymentProvider { get; } = new("payment-provider", "tools/PaymentProviderSimulator", "Capture.PaymentProviderSimulator", 5190);

    public static ServiceDefinition CaptureIngest { get; } = new("capture-ingest", "services/CaptureIngest", "Capture.CaptureIngest", 5104, "capturedb", UsesObjectStorage: true, References: ["registration", "scheduling"]);

    public static ServiceDefinition Verification { get; } = new("verification", "services/Verification", "Capture.Verification", 5105, "verificationdb", UsesObjectStorage: true, References: ["registration", "capture-ingest"]);

    public static ServiceDefinition Gateway { get; } = new("gateway", "gateway", "Capture.Gateway", 8080, References: ["registration", "scheduling", "payment", "capture-ingest", "verification", "web"]);

    /// <summary>The pages (Blazor), reached only through the gateway; it calls the services through the gateway too.</summary>
    public static ServiceDefinition Web { get; } = new("web", "web", "Capture.Web", 5110, References: ["gateway"]);

    /// <summary>The five services, in start order (the gateway comes after them).</summary>
    public static IReadOnlyList<ServiceDefinition> Services { get; } = [Registration, Scheduling, Payment, CaptureIngest, Verification];

    /// <summary>Local stand-ins for outside systems, started before the services.</summary>
    public static IReadOnlyList<ServiceDefinition> StandIns { get; } = [PaymentProvider];

    public string AssemblyPath(string repoRoot) =>
        Path.Combine(repoRoot, ProjectDirectory, "bin", Paths.Configuration, Paths.TargetFramework, AssemblyName + ".dll");
}
