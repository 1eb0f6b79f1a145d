using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Tests.Plumbing;
using Capture.Testing;

namespace Capture.ServiceDefaults.Tests.Messaging;

/// <summary>On a RabbitMQ cluster (Kubernetes) the consumer queues must be quorum queues to survive losing a node.</summary>
public sealed class QuorumQueueTests
{
    [Fact]
    public async Task With_quorum_queues_on_every_consumer_queue_is_a_quorum_queue()
    {
        await using var isolated = await Isolated.CreateAsync();
        var log = new DeliveryLog();
        await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, log,
            settings: new Dictionary<string, string?> { [MessagingExtensions.QuorumQueuesKey] = "true" });

        var consumerQueues = (await QueueTypesAsync(isolated)).Where(q => q.Key.StartsWith("ledger-", StringComparison.Ordinal)).ToList();
        Assert.Contains(consumerQueues, q => q.Key == "ledger-deposit");
        Assert.True(consumerQueues.Count >= 2, string.Join(", ", consumerQueues));
        Assert.All(consumerQueues, q => Assert.Equal("quorum", q.Value));
    }

    [Fact]
    public async Task By_default_the_consumer_queues_stay_classic()
    {
        await using var isolated = await Isolated.CreateAsync();
        await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, new DeliveryLog());

        Assert.Equal("classic", (await QueueTypesAsync(isolated))["ledger-deposit"]);
    }

    private static async Task<Dictionary<string, string>> QueueTypesAsync(Isolated isolated)
    {
        using var http = new HttpClient { BaseAddress = isolated.Endpoints.RabbitManagement };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        var queues = await http.GetFromJsonAsync<JsonArray>($"api/queues/{Uri.EscapeDataString(isolated.VirtualHost)}") ?? [];
        return queues.OfType<JsonObject>().ToDictionary(q => (string)q["name"]!, q => (string?)q["type"] ?? "classic");
    }
}
