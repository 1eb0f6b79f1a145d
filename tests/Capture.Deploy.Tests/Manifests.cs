using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Capture.Deploy.Tests;

/// <summary>An overlay rendered by <c>kubectl kustomize</c> (once per test run), as YAML text and as JSON objects.</summary>
public sealed record Rendered(string Overlay, string Yaml, IReadOnlyList<JsonObject> Objects)
{
    private static readonly ConcurrentDictionary<string, Lazy<Rendered>> Cache = new();

    public static Rendered Of(string name) =>
        Cache.GetOrAdd(name, n => new Lazy<Rendered>(() => Render(Path.Combine(Repo.K8s, "overlays", n)))).Value;

    public static Rendered Render(string directory)
    {
        var result = Repo.Run(Repo.Kubectl, ["kustomize", directory]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} failed: {result}");
        }

        return new Rendered(Path.GetFileName(directory), result.Output, Manifests.Parse(result.Output));
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Manifests.Kind(o) == kind);

    public JsonObject Single(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => Manifests.Name(o) == name)
        ?? throw new InvalidOperationException($"{Overlay}: no {kind} {name}");
}

public static class Manifests
{
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var objects = new List<JsonObject>();
        var parser = new Parser(new StringReader(yaml));
        var deserializer = new DeserializerBuilder().Build();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = deserializer.Deserialize<object?>(parser);
            if (ToJson(document) is JsonObject json)
            {
                objects.Add(json);
            }
        }

        return objects;
    }

    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key.ToString()!, ToJson(kv.Value)))),
        IList<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };

    public static string Kind(JsonObject o) => (string?)o["kind"] ?? string.Empty;

    public static string Name(JsonObject o) => (string?)o["metadata"]?["name"] ?? string.Empty;

    public static string Id(JsonObject o) => $"{Kind(o)}/{Name(o)}";

    public static string? Text(JsonNode? node) => node?.GetValue<string>();

    public static IEnumerable<JsonObject> Items(JsonNode? array) => array is JsonArray a ? a.OfType<JsonObject>() : [];

    /// <summary>The pod template of a Deployment or Job.</summary>
    public static JsonObject? PodSpec(JsonObject workload) => workload["spec"]?["template"]?["spec"] as JsonObject;

    public static IEnumerable<JsonObject> Containers(JsonObject workload) =>
        Items(PodSpec(workload)?["containers"]).Concat(Items(PodSpec(workload)?["initContainers"]));

    public static IReadOnlyDictionary<string, string> Labels(JsonNode? labels) =>
        labels is JsonObject o ? o.ToDictionary(kv => kv.Key, kv => Text(kv.Value) ?? string.Empty) : new Dictionary<string, string>();

    public static string? Env(JsonObject container, string name) =>
        Items(container["env"]).Where(e => Text(e["name"]) == name).Select(e => Text(e["value"])).FirstOrDefault();
}
