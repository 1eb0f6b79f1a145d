using System.Text.Json.Nodes;
using static Capture.Deploy.Tests.Manifests;

namespace Capture.Deploy.Tests;

/// <summary>Each rule notices the breakage it is for: a passing overlay test means something only because of these.</summary>
public sealed class RuleTests
{
    private static List<JsonObject> Provider() =>
        Rendered.Of("provider").Objects.Select(o => (JsonObject)o.DeepClone()).ToList();

    private static JsonObject Container(List<JsonObject> objects, string deployment) =>
        Items(PodSpec(objects.Single(o => Kind(o) == "Deployment" && Name(o) == deployment))!["containers"]).First();

    [Fact]
    public void The_unbroken_overlay_has_no_violation() => Assert.Empty(DeployRules.All(Provider()));

    [Fact]
    public void An_image_on_latest_or_without_a_tag_is_reported()
    {
        var objects = Provider();
        Container(objects, "payment")["image"] = "registry.example.com/capture/payment:latest";
        Container(objects, "registration")["image"] = "registry.example.com:5000/capture/registration";
        var violations = DeployRules.ImagesArePinned(objects).ToList();
        Assert.Contains(violations, v => v.Contains("Deployment/payment", StringComparison.Ordinal) && v.Contains(":latest", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("Deployment/registration", StringComparison.Ordinal) && v.Contains("no tag", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_probe_or_a_readiness_probe_on_the_broker_inclusive_health_is_reported()
    {
        var objects = Provider();
        Container(objects, "verification").Remove("livenessProbe");
        Container(objects, "scheduling")["readinessProbe"]!["httpGet"]!["path"] = "/health";
        var violations = DeployRules.DeploymentsHaveProbes(objects).ToList();
        Assert.Contains(violations, v => v.StartsWith("Deployment/verification container app: no livenessProbe", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Deployment/scheduling container app: readinessProbe is /health", StringComparison.Ordinal));
    }

    [Fact]
    public void A_container_without_limits_is_reported()
    {
        var objects = Provider();
        Container(objects, "gateway")["resources"]!.AsObject().Remove("limits");
        Assert.Contains("Deployment/gateway container app: no resources.limits.memory", DeployRules.ContainersHaveResources(objects));
    }

    [Fact]
    public void A_replicated_deployment_without_a_budget_and_a_budget_that_blocks_drains_are_reported()
    {
        var objects = Provider();
        objects.RemoveAll(o => Kind(o) == "PodDisruptionBudget" && Name(o) == "payment");
        objects.Single(o => Kind(o) == "PodDisruptionBudget" && Name(o) == "scheduling")["spec"]!["minAvailable"] = "3";
        var violations = DeployRules.ReplicatedDeploymentsHavePdbs(objects).ToList();
        Assert.Contains("Deployment/payment: 3 replicas and no PodDisruptionBudget selects its pods", violations);
        Assert.Contains(violations, v => v.StartsWith("PodDisruptionBudget/scheduling: minAvailable 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Replicas_owned_by_an_autoscaler_count_from_its_minimum()
    {
        var objects = Provider();
        Assert.Equal(3, DeployRules.EffectiveReplicas(objects, objects.Single(o => Kind(o) == "Deployment" && Name(o) == "capture-ingest-api")));
        Assert.Equal(0, DeployRules.EffectiveReplicas(objects, objects.Single(o => Kind(o) == "Deployment" && Name(o) == "capture-ingest-worker")));
    }

    [Fact]
    public void A_root_or_writable_container_is_reported()
    {
        var objects = Provider();
        var job = objects.Single(o => Kind(o) == "Job" && Name(o) == "migrate-payment");
        PodSpec(job)!["securityContext"]!["runAsNonRoot"] = "false";
        Items(PodSpec(job)!["containers"]).First()["securityContext"]!["readOnlyRootFilesystem"] = "false";
        var violations = DeployRules.PodsRunAsNonRoot(objects).ToList();
        Assert.Contains("Job/migrate-payment container app: runAsNonRoot is not set", violations);
        Assert.Contains("Job/migrate-payment container app: readOnlyRootFilesystem is not true", violations);
    }

    [Fact]
    public void A_secret_with_data_is_reported()
    {
        var secret = Parse("apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  password: hunter2\n");
        Assert.Single(DeployRules.NoSecretCarriesData(secret));
    }

    [Fact]
    public void Edge_body_sizes_below_or_far_above_the_upload_limit_and_a_global_kestrel_limit_are_reported()
    {
        var objects = Provider();
        objects.Single(o => Kind(o) == "Ingress" && Name(o) == "school-example-a")["metadata"]!["annotations"]!["nginx.ingress.kubernetes.io/proxy-body-size"] = "60m";
        objects.Single(o => Kind(o) == "Ingress" && Name(o) == "school-example-b")["metadata"]!["annotations"]!["nginx.ingress.kubernetes.io/proxy-body-size"] = "1g";
        ((JsonArray)Container(objects, "gateway")["env"]!).Add(new JsonObject { ["name"] = "Kestrel__Limits__MaxRequestBodySize", ["value"] = "67108864" });
        var violations = DeployRules.BodySizeIsAlignedFromIngressToTheApps(objects).ToList();
        Assert.Contains(violations, v => v.StartsWith("Ingress/school-example-a: proxy-body-size 60m is below", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Ingress/school-example-b: proxy-body-size 1g lets far more", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Deployment/gateway: Kestrel__Limits__MaxRequestBodySize=67108864", StringComparison.Ordinal));
    }

    [Fact]
    public void Workers_not_scaled_on_the_standardisation_queue_are_reported()
    {
        var objects = Provider();
        var scaled = objects.Single(o => Kind(o) == "ScaledObject");
        Items(scaled["spec"]!["triggers"]).First()["metadata"]!["queueName"] = "capture-ingest";
        scaled["spec"]!["minReplicaCount"] = "1";
        Items(Container(objects, "capture-ingest-worker")["env"]).Single(e => Text(e["name"]) == "CaptureIngest__Role")["value"] = "all";
        var violations = DeployRules.IngestWorkersScaleOnTheQueue(objects).ToList();
        Assert.Equal(3, violations.Count);
    }

    [Fact]
    public void Capture_day_pods_without_priority_and_a_public_service_other_than_the_gateway_are_reported()
    {
        var objects = Provider();
        PodSpec(objects.Single(o => Kind(o) == "Deployment" && Name(o) == "scheduling"))!["priorityClassName"] = "capture-standard";
        Items(objects.Single(o => Kind(o) == "Ingress" && Name(o) == "gateway")["spec"]!["rules"]).First()["http"]!["paths"]![0]!["backend"]!["service"]!["name"] = "payment";
        objects.RemoveAll(o => Kind(o) == "NetworkPolicy" && Name(o) == "default-deny-ingress");
        Assert.Contains("Deployment/scheduling: priorityClassName is not capture-day-critical", DeployRules.CaptureDayPodsArePrioritised(objects));
        var edge = DeployRules.EdgeIsTlsAndDefaultDeny(objects).ToList();
        Assert.Contains("Ingress/gateway: routes to payment; only the gateway is public", edge);
        Assert.Contains("no default-deny ingress NetworkPolicy", edge);
    }

    [Fact]
    public void A_broker_user_on_classic_queues_is_reported()
    {
        var objects = Provider();
        var env = (JsonArray)Container(objects, "payment")["env"]!;
        env.Remove(Items(env).Single(e => Text(e["name"]) == "Messaging__QuorumQueues"));
        Assert.Equal(["Deployment/payment: uses the broker without Messaging__QuorumQueues=true"], DeployRules.ConsumersUseQuorumQueues(objects));
    }

    [Fact]
    public void A_web_project_without_a_deployment_is_noticed()
    {
        Assert.Equal("capture-ingest", Solution.ResourceName("Capture.CaptureIngest"));
        Assert.Equal(["registration", "scheduling", "payment", "capture-ingest", "verification", "gateway", "web"],
            Solution.WebProjects().Select(p => p.ResourceName).OrderBy(n => n switch
            {
                "registration" => 0, "scheduling" => 1, "payment" => 2, "capture-ingest" => 3, "verification" => 4, "gateway" => 5, _ => 6,
            }));
    }

    [Fact]
    public void A_web_app_with_a_second_replica_or_an_autoscaler_is_reported()
    {
        var objects = Provider();
        Assert.Empty(DeployRules.WebRunsOneReplica(objects));
        objects.Single(o => Kind(o) == "Deployment" && Name(o) == "web")["spec"]!["replicas"] = "2";
        Assert.Contains("Deployment/web: 2 replicas and no PodDisruptionBudget selects its pods", DeployRules.ReplicatedDeploymentsHavePdbs(objects));
        var hpa = (JsonObject)objects.Single(o => Kind(o) == "HorizontalPodAutoscaler" && Name(o) == "gateway").DeepClone();
        hpa["spec"]!["scaleTargetRef"]!["name"] = "web";
        objects.Add(hpa);
        var violations = DeployRules.WebRunsOneReplica(objects).ToList();
        Assert.Contains(violations, v => v.StartsWith("Deployment/web: 2 replicas", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("HorizontalPodAutoscaler/gateway scales Deployment/web", StringComparison.Ordinal));
    }
}
