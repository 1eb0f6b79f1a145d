namespace Capture.AppHost.Hosting;

/// <summary>
/// How to reach PostgreSQL (a server connection string without a database), RabbitMQ (an amqp URI) and object
/// storage (Aspire's MinIO format); optionally RabbitMQ's management API, used to make virtual hosts and read queues.
/// </summary>
public sealed record InfrastructureEndpoints(string Postgres, string Messaging, string Photos, Uri? RabbitManagement = null)
{
    public const string PostgresVariable = "CAPTURE_POSTGRES";
    public const string MessagingVariable = "CAPTURE_MESSAGING";
    public const string PhotosVariable = "CAPTURE_PHOTOS";
    public const string RabbitManagementVariable = "CAPTURE_RABBITMQ_MANAGEMENT";

    public string Database(string name) => $"{Postgres.TrimEnd(';')};Database={name}";

    /// <summary>The messaging URI with another virtual host (tests isolate themselves in one each).</summary>
    public string MessagingIn(string virtualHost)
    {
        var uri = new UriBuilder(Messaging) { Path = virtualHost == "/" ? "/" : "/" + Uri.EscapeDataString(virtualHost) };
        return uri.Uri.ToString();
    }

    /// <summary>Reads the endpoints from the environment (as the test script exports them), or null if they are not all there.</summary>
    public static InfrastructureEndpoints? FromEnvironment()
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        var messaging = Environment.GetEnvironmentVariable(MessagingVariable);
        var photos = Environment.GetEnvironmentVariable(PhotosVariable);
        var management = Environment.GetEnvironmentVariable(RabbitManagementVariable);
        return string.IsNullOrEmpty(postgres) || string.IsNullOrEmpty(messaging) || string.IsNullOrEmpty(photos)
            ? null
            : new InfrastructureEndpoints(postgres, messaging, photos, string.IsNullOrEmpty(management) ? null : new Uri(management));
    }

    /// <summary>Shell <c>export</c> lines for these endpoints, for a script to source.</summary>
    public string ToShellExports() => string.Join('\n',
        $"export {PostgresVariable}='{Postgres}'",
        $"export {MessagingVariable}='{Messaging}'",
        $"export {PhotosVariable}='{Photos}'",
        $"export {RabbitManagementVariable}='{RabbitManagement}'") + "\n";
}
