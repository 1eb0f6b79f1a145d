using System.Text.Json;

namespace Capture.StationAgent.Core;

/// <summary>One quality measure as the photographer reads it: its name, whether it passed, and the reason in both languages.</summary>
public sealed record MeasureResult(string Name, bool Passed, string? ReasonZh, string? ReasonEn);

/// <summary>A photo of the station as the live feed (or the upload answer) describes it.</summary>
public sealed record FeedPhoto(
    Guid Id,
    string ShootNumber,
    int ShotIndex,
    bool Keyframe,
    string Status,
    string Verdict,
    IReadOnlyList<string> FailedMeasures,
    IReadOnlyList<MeasureResult> Measures,
    string? RejectReason,
    string? HeldReason,
    Guid? RegistrationId,
    bool Accepted,
    string? Sha256)
{
    public static FeedPhoto Parse(JsonElement p)
    {
        string? Text(string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var failed = p.TryGetProperty("failedMeasures", out var f) && f.ValueKind == JsonValueKind.Array
            ? f.EnumerateArray().Select(x => x.GetString() ?? "").Where(x => x.Length > 0).ToList()
            : [];
        var measures = new List<MeasureResult>();
        if (p.TryGetProperty("quality", out var q) && q.ValueKind == JsonValueKind.Object && q.TryGetProperty("measures", out var m) && m.ValueKind == JsonValueKind.Array)
        {
            foreach (var measure in m.EnumerateArray())
            {
                string? M(string name) => measure.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var name = M("name") ?? "";
                var passed = measure.TryGetProperty("passed", out var ok) && ok.ValueKind is JsonValueKind.True or JsonValueKind.False ? ok.GetBoolean() : !failed.Contains(name);
                measures.Add(new MeasureResult(name, passed, M("reasonZh"), M("reasonEn")));
            }
        }

        return new FeedPhoto(
            p.GetProperty("id").GetGuid(),
            Text("shootNumber") ?? "",
            p.TryGetProperty("shotIndex", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : 0,
            p.TryGetProperty("keyframe", out var k) && k.ValueKind == JsonValueKind.True,
            Text("status") ?? "",
            Text("verdict") ?? "pending",
            failed,
            measures,
            Text("rejectReason"),
            Text("heldReason"),
            p.TryGetProperty("registrationId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetGuid() : null,
            p.TryGetProperty("accepted", out var a) && a.ValueKind == JsonValueKind.True,
            Text("sha256"));
    }
}
