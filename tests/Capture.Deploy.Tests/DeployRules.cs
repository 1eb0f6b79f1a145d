using System.Globalization;
using System.Text.Json.Nodes;
using static Capture.Deploy.Tests.Manifests;

namespace Capture.Deploy.Tests;

/// <summary>
/// Our own rules for what an overlay renders, beyond the schemas: each returns the violations it finds, so a test shows
/// all of them at once and another test can prove a rule notices a broken manifest.
/// </summary>
public static class DeployRules
{
    public const string CriticalPriority = "capture-day-critical";

    /// <summary>Capture's own workloads: the pods that run our images (the collector and operators' pods are not ours).</summary>
    public static readonly string[] CaptureDayCritical = ["gateway", "web", "scheduling", "capture-ingest-api"];

    /// <summary>The Blazor Web App's Deployment (resource <c>web</c>).</summary>
    public const string WebApp = "web";

    public const string StandardisationQueue = "capture-ingest-photo-uploaded";

    /// <summary>
    /// The largest request body the applications let through, on the photo upload route only (every other route keeps
    /// Kestrel's 30 MB): 60 MiB of photo plus 64 KiB of multipart envelope, the same number in the gateway
    /// (<c>RequestBodyLimits.PhotoUploadLimit</c>) and in CaptureIngest (<c>Limits.MaxPhotoBytes + MultipartAllowance</c>).
    /// </summary>
    public const long AppUploadLimit = (60L * 1024 * 1024) + (64 * 1024);

    /// <summary>The edge may add a little on top (headers, rounding to nginx units), not a different order of size.</summary>
    public const long EdgeSlack = 8L * 1024 * 1024;

    public static IReadOnlyList<string> All(IReadOnlyList<JsonObject> objects) =>
    [
        .. ImagesArePinned(objects),
        .. DeploymentsHaveProbes(objects),
        .. ContainersHaveResources(objects),
        .. ReplicatedDeploymentsHavePdbs(objects),
        .. PodsRunAsNonRoot(objects),
        .. NoSecretCarriesData(objects),
        .. CaptureDayPodsArePrioritised(objects),
        .. BodySizeIsAlignedFromIngressToTheApps(objects),
        .. IngestWorkersScaleOnTheQueue(objects),
        .. EdgeIsTlsAndDefaultDeny(objects),
        .. ConsumersUseQuorumQueues(objects),
        .. WebRunsOneReplica(objects),
    ];

    public static IEnumerable<JsonObject> Workloads(IEnumerable<JsonObject> objects) =>
        objects.Where(o => Kind(o) is "Deployment" or "Job" or "StatefulSet" or "DaemonSet");

    public static IEnumerable<string> ImagesArePinned(IReadOnlyList<JsonObject> objects)
    {
        var images = Workloads(objects).SelectMany(w => Containers(w).Select(c => (Id(w), Text(c["image"]))))
            .Concat(objects.Where(o => Kind(o) is "Cluster" or "RabbitmqCluster" or "Tenant")
                .Select(o => (Id(o), Text(o["spec"]?["imageName"]) ?? Text(o["spec"]?["image"]))));
        foreach (var (owner, image) in images)
        {
            if (image is null)
            {
                yield return $"{owner}: no image given (the operator's default floats with the operator version: pin it)";
                continue;
            }

            if (image.Contains("@sha256:", StringComparison.Ordinal))
            {
                continue;
            }

            var lastSegment = image[(image.LastIndexOf('/') + 1)..];
            var colon = lastSegment.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                yield return $"{owner}: image {image} has no tag (that is :latest)";
            }
            else if (lastSegment[(colon + 1)..] == "latest")
            {
                yield return $"{owner}: image {image} uses :latest";
            }
        }
    }

    public static IEnumerable<string> DeploymentsHaveProbes(IReadOnlyList<JsonObject> objects)
    {
        foreach (var deployment in objects.Where(o => Kind(o) == "Deployment"))
        {
            foreach (var container in Items(PodSpec(deployment)?["containers"]))
            {
                var where = $"{Id(deployment)} container {Text(container["name"])}";
                if (container["readinessProbe"] is null)
                {
                    yield return $"{where}: no readinessProbe";
                }

                if (container["livenessProbe"] is null)
                {
                    yield return $"{where}: no livenessProbe";
                }

                if (!IsCapture(deployment))
                {
                    continue;
                }

                // Readiness must not include the broker (/health does): a RabbitMQ blip would take every pod out of service
                // while the outbox is there to absorb it. Liveness never depends on anything else.
                var readiness = Text(container["readinessProbe"]?["httpGet"]?["path"]);
                if (readiness is not ("/health/ready" or "/alive"))
                {
                    yield return $"{where}: readinessProbe is {readiness ?? "not an HTTP GET"}; use /health/ready (own database and object store) or /alive";
                }

                var liveness = Text(container["livenessProbe"]?["httpGet"]?["path"]);
                if (liveness != "/alive")
                {
                    yield return $"{where}: livenessProbe is {liveness ?? "not an HTTP GET"}; use /alive, which depends on nothing else";
                }
            }
        }
    }

    public static IEnumerable<string> ContainersHaveResources(IReadOnlyList<JsonObject> objects)
    {
        foreach (var workload in Workloads(objects))
        {
            foreach (var container in Containers(workload))
            {
                foreach (var path in new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" })
                {
                    var parts = path.Split('.');
                    if (container["resources"]?[parts[0]]?[parts[1]] is null)
                    {
                        yield return $"{Id(workload)} container {Text(container["name"])}: no resources.{path}";
                    }
                }
            }
        }
    }

    /// <summary>
    /// Replicas as they run: an autoscaler's minimum when one targets the Deployment (the Deployment then leaves
    /// replicas out), else spec.replicas (1 when absent).
    /// </summary>
    public static int EffectiveReplicas(IReadOnlyList<JsonObject> objects, JsonObject deployment)
    {
        var name = Name(deployment);
        var hpa = objects.FirstOrDefault(o => Kind(o) == "HorizontalPodAutoscaler"
            && Text(o["spec"]?["scaleTargetRef"]?["kind"]) == "Deployment" && Text(o["spec"]?["scaleTargetRef"]?["name"]) == name);
        if (hpa is not null)
        {
            return Int(hpa["spec"]?["minReplicas"]) ?? 1;
        }

        var scaled = objects.FirstOrDefault(o => Kind(o) == "ScaledObject" && Text(o["spec"]?["scaleTargetRef"]?["name"]) == name);
        if (scaled is not null)
        {
            return Int(scaled["spec"]?["minReplicaCount"]) ?? 0;
        }

        return Int(deployment["spec"]?["replicas"]) ?? 1;
    }

    public static IEnumerable<string> ReplicatedDeploymentsHavePdbs(IReadOnlyList<JsonObject> objects)
    {
        var budgets = objects.Where(o => Kind(o) == "PodDisruptionBudget").ToList();
        foreach (var deployment in objects.Where(o => Kind(o) == "Deployment"))
        {
            var replicas = EffectiveReplicas(objects, deployment);
            var podLabels = Labels(deployment["spec"]?["template"]?["metadata"]?["labels"]);
            var matching = budgets.Where(b => Labels(b["spec"]?["selector"]?["matchLabels"]) is { Count: > 0 } selector
                && selector.All(kv => podLabels.TryGetValue(kv.Key, out var v) && v == kv.Value)).ToList();
            if (replicas > 1 && matching.Count == 0)
            {
                yield return $"{Id(deployment)}: {replicas} replicas and no PodDisruptionBudget selects its pods";
            }

            foreach (var budget in matching)
            {
                var minAvailable = Int(budget["spec"]?["minAvailable"]);
                if (minAvailable is { } min && min >= Math.Max(replicas, 1))
                {
                    yield return $"{Id(budget)}: minAvailable {min} with {replicas} replica(s) blocks every node drain";
                }
            }
        }
    }

    public static IEnumerable<string> PodsRunAsNonRoot(IReadOnlyList<JsonObject> objects)
    {
        foreach (var workload in Workloads(objects))
        {
            var pod = PodSpec(workload);
            var podNonRoot = Text(pod?["securityContext"]?["runAsNonRoot"]) == "true";
            foreach (var container in Containers(workload))
            {
                var where = $"{Id(workload)} container {Text(container["name"])}";
                var security = container["securityContext"];
                if (!podNonRoot && Text(security?["runAsNonRoot"]) != "true")
                {
                    yield return $"{where}: runAsNonRoot is not set";
                }

                if (Text(security?["readOnlyRootFilesystem"]) != "true")
                {
                    yield return $"{where}: readOnlyRootFilesystem is not true";
                }

                if (Text(security?["allowPrivilegeEscalation"]) != "false")
                {
                    yield return $"{where}: allowPrivilegeEscalation is not false";
                }
            }
        }
    }

    public static IEnumerable<string> NoSecretCarriesData(IReadOnlyList<JsonObject> objects) =>
        objects.Where(o => Kind(o) == "Secret" && (o["data"] is JsonObject { Count: > 0 } || o["stringData"] is JsonObject { Count: > 0 }))
            .Select(o => $"{Id(o)}: a Secret with data in the repository; reference it (ExternalSecret) or create it with kubectl");

    public static IEnumerable<string> CaptureDayPodsArePrioritised(IReadOnlyList<JsonObject> objects)
    {
        if (!objects.Any(o => Kind(o) == "PriorityClass" && Name(o) == CriticalPriority))
        {
            yield return $"PriorityClass {CriticalPriority} is missing";
        }

        foreach (var name in CaptureDayCritical)
        {
            var deployment = objects.FirstOrDefault(o => Kind(o) == "Deployment" && Name(o) == name);
            if (deployment is null)
            {
                yield return $"Deployment/{name} is missing";
            }
            else if (Text(PodSpec(deployment)?["priorityClassName"]) != CriticalPriority)
            {
                yield return $"Deployment/{name}: priorityClassName is not {CriticalPriority}";
            }
        }
    }

    /// <summary>
    /// The Ingress in front of uploads lets a photo the applications accept through (else nginx answers 413 before
    /// CaptureIngest can say why), and not much more (the edge is where oversize bodies should stop).
    /// </summary>
    public static IEnumerable<string> BodySizeIsAlignedFromIngressToTheApps(IReadOnlyList<JsonObject> objects)
    {
        var uploadIngresses = objects.Where(o => Kind(o) == "Ingress"
            && Items(o["spec"]?["rules"]).Any(r => Items(r["http"]?["paths"]).Any(p => Text(p["path"]) == "/"))).ToList();
        if (uploadIngresses.Count == 0)
        {
            yield return "no Ingress routes / to the gateway";
        }

        foreach (var ingress in uploadIngresses)
        {
            var size = Text(ingress["metadata"]?["annotations"]?["nginx.ingress.kubernetes.io/proxy-body-size"]);
            var bytes = NginxSize(size);
            if (bytes is null || bytes < AppUploadLimit)
            {
                yield return $"{Id(ingress)}: proxy-body-size {size ?? "unset (1m)"} is below the {AppUploadLimit} bytes a photo upload may have";
            }
            else if (bytes > AppUploadLimit + EdgeSlack)
            {
                yield return $"{Id(ingress)}: proxy-body-size {size} lets far more than the {AppUploadLimit}-byte upload limit through";
            }
        }

        foreach (var deployment in objects.Where(o => Kind(o) == "Deployment"))
        {
            foreach (var container in Items(PodSpec(deployment)?["containers"]))
            {
                if (Env(container, "Kestrel__Limits__MaxRequestBodySize") is { } global)
                {
                    yield return $"{Id(deployment)}: Kestrel__Limits__MaxRequestBodySize={global} raises the limit of every route; the upload route sets its own";
                }
            }
        }
    }

    public static IEnumerable<string> IngestWorkersScaleOnTheQueue(IReadOnlyList<JsonObject> objects)
    {
        string? Role(string deployment) => objects.Where(o => Kind(o) == "Deployment" && Name(o) == deployment)
            .SelectMany(d => Items(PodSpec(d)?["containers"])).Select(c => Env(c, "CaptureIngest__Role")).FirstOrDefault();

        if (Role("capture-ingest-api") != "api")
        {
            yield return "Deployment/capture-ingest-api: CaptureIngest__Role is not api";
        }

        if (Role("capture-ingest-worker") != "worker")
        {
            yield return "Deployment/capture-ingest-worker: CaptureIngest__Role is not worker";
        }

        var scaled = objects.FirstOrDefault(o => Kind(o) == "ScaledObject" && Text(o["spec"]?["scaleTargetRef"]?["name"]) == "capture-ingest-worker");
        if (scaled is null)
        {
            yield return "no KEDA ScaledObject scales capture-ingest-worker";
            yield break;
        }

        if (!Items(scaled["spec"]?["triggers"]).Any(t => Text(t["type"]) == "rabbitmq" && Text(t["metadata"]?["queueName"]) == StandardisationQueue))
        {
            yield return $"{Id(scaled)}: no rabbitmq trigger on {StandardisationQueue}";
        }

        if (Int(scaled["spec"]?["minReplicaCount"]) != 0)
        {
            yield return $"{Id(scaled)}: minReplicaCount is not 0 (no photos, no workers)";
        }

        if (Int(scaled["spec"]?["maxReplicaCount"]) is not > 0)
        {
            yield return $"{Id(scaled)}: maxReplicaCount must be set";
        }
    }

    public static IEnumerable<string> EdgeIsTlsAndDefaultDeny(IReadOnlyList<JsonObject> objects)
    {
        foreach (var ingress in objects.Where(o => Kind(o) == "Ingress"))
        {
            var hosts = Items(ingress["spec"]?["rules"]).Select(r => Text(r["host"])).ToList();
            var tlsHosts = Items(ingress["spec"]?["tls"]).SelectMany(t => (t["hosts"] as JsonArray ?? []).Select(Text)).ToHashSet();
            if (hosts.Any(h => h is null || !tlsHosts.Contains(h)))
            {
                yield return $"{Id(ingress)}: a host without TLS";
            }

            foreach (var backend in Items(ingress["spec"]?["rules"]).SelectMany(r => Items(r["http"]?["paths"])))
            {
                if (Text(backend["backend"]?["service"]?["name"]) != "gateway")
                {
                    yield return $"{Id(ingress)}: routes to {Text(backend["backend"]?["service"]?["name"])}; only the gateway is public";
                }
            }
        }

        var denyAll = objects.Any(o => Kind(o) == "NetworkPolicy" && o["spec"]?["podSelector"] is JsonObject { Count: 0 }
            && o["spec"]?["ingress"] is null && (o["spec"]?["policyTypes"] as JsonArray ?? []).Any(t => Text(t) == "Ingress"));
        if (!denyAll)
        {
            yield return "no default-deny ingress NetworkPolicy";
        }
    }

    /// <summary>A pod that talks to the 3-node RabbitMQ declares its consumer queues as quorum queues.</summary>
    public static IEnumerable<string> ConsumersUseQuorumQueues(IReadOnlyList<JsonObject> objects) =>
        Workloads(objects).SelectMany(w => Containers(w).Select(c => (w, c)))
            .Where(x => Items(x.c["env"]).Any(e => Text(e["name"]) == "ConnectionStrings__messaging"))
            .Where(x => Env(x.c, "Messaging__QuorumQueues") != "true")
            .Select(x => $"{Id(x.w)}: uses the broker without Messaging__QuorumQueues=true");

    /// <summary>
    /// The web app runs exactly one replica, with no autoscaler: its Data Protection keys (sign-in cookie, antiforgery,
    /// circuit state) are per process and a Blazor circuit lives in one pod, so a second replica signs people out at
    /// random until the app shares its keys and the path from the Ingress to the pod keeps a person on one pod
    /// (deploy/README.md "Web app"). Lift this rule together with those changes.
    /// </summary>
    public static IEnumerable<string> WebRunsOneReplica(IReadOnlyList<JsonObject> objects)
    {
        var web = objects.FirstOrDefault(o => Kind(o) == "Deployment" && Name(o) == WebApp);
        if (web is null)
        {
            yield return $"Deployment/{WebApp} is missing";
            yield break;
        }

        foreach (var scaler in objects.Where(o => Kind(o) is "HorizontalPodAutoscaler" or "ScaledObject"
            && Text(o["spec"]?["scaleTargetRef"]?["name"]) == WebApp))
        {
            yield return $"{Id(scaler)} scales Deployment/{WebApp}; it runs one replica until its Data Protection keys are shared and sessions are sticky";
        }

        if (Int(web["spec"]?["replicas"]) is { } replicas && replicas != 1)
        {
            yield return $"Deployment/{WebApp}: {replicas} replicas; it runs one until its Data Protection keys are shared and sessions are sticky";
        }
    }

    private static bool IsCapture(JsonObject workload) =>
        Text(workload["metadata"]?["labels"]?["app.kubernetes.io/component"]) is "service" or "gateway" or "web" or "worker" or "migrations";

    private static int? Int(JsonNode? node) =>
        int.TryParse(Text(node), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>nginx sizes: 64m = 64 MiB, 512k, or plain bytes.</summary>
    public static long? NginxSize(string? size)
    {
        if (string.IsNullOrWhiteSpace(size))
        {
            return null;
        }

        var unit = char.ToLowerInvariant(size[^1]);
        var multiplier = unit switch { 'k' => 1024L, 'm' => 1024L * 1024, 'g' => 1024L * 1024 * 1024, _ => 1L };
        var number = multiplier == 1 ? size : size[..^1];
        return long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value * multiplier : null;
    }
}
