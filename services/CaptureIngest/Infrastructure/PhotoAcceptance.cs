using System.Text.Json;
using Capture.CaptureIngest.Domain;
using Capture.Contracts.CaptureIngest;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>Makes a bound, standardised shot the registration's final photo: one row per registration, audited, announced as <c>PhotoAccepted</c>.</summary>
public static class PhotoAcceptance
{
    public static async Task<bool> AcceptAsync(CaptureIngestDbContext db, Photo photo, string actor, string? reason, DateTimeOffset now, CancellationToken ct)
    {
        var registrationId = photo.RegistrationId ?? throw new InvalidOperationException("Only a bound photo can be accepted.");
        var current = await db.AcceptedPhotos.FirstOrDefaultAsync(a => a.RegistrationId == registrationId, ct);
        if (current?.PhotoId == photo.Id)
        {
            return false;
        }

        if (current is null)
        {
            db.AcceptedPhotos.Add(new AcceptedPhoto
            {
                RegistrationId = registrationId,
                PhotoId = photo.Id,
                CampaignId = photo.CampaignId!.Value,
                SchoolCode = photo.SchoolCode,
                AcceptedBy = actor,
                AcceptedAt = now,
            });
        }
        else
        {
            current.PhotoId = photo.Id;
            current.AcceptedBy = actor;
            current.AcceptedAt = now;
        }

        db.Decisions.Add(new PhotoDecision
        {
            Id = Guid.CreateVersion7(),
            PhotoId = photo.Id,
            Action = "accept",
            Actor = actor,
            Reason = reason,
            NewRegistrationId = registrationId,
            At = now,
        });
        db.AddIntegrationEvent(new PhotoAccepted(
            photo.Id, registrationId, photo.CampaignId!.Value, photo.SchoolCode, photo.StationId.ToString(), photo.ShootNumber,
            photo.StandardizedObjectKey!, photo.StandardizedSha256!, photo.Verdict == Verdict.Passed,
            photo.FailedMeasures is null ? [] : photo.FailedMeasures.Split(','), actor, now));
        return true;
    }

    /// <summary>The best passing shot: the sharpest (variance of the Laplacian), the latest on ties.</summary>
    public static Photo? Best(IEnumerable<Photo> shots) => shots
        .Where(p => p.Status == PhotoStatus.Bound && p.Verdict == Verdict.Passed && !p.IsKeyframe)
        .OrderByDescending(Sharpness)
        .ThenByDescending(p => p.UploadedAt)
        .FirstOrDefault();

    private static double Sharpness(Photo photo)
    {
        if (photo.QualityReport is null)
        {
            return 0;
        }

        using var report = JsonDocument.Parse(photo.QualityReport);
        if (report.RootElement.TryGetProperty("measures", out var measures) && measures.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in measures.EnumerateArray())
            {
                if (m.TryGetProperty("name", out var name) && name.GetString() == "sharpness" && m.TryGetProperty("value", out var value) && value.TryGetDouble(out var v))
                {
                    return v;
                }
            }
        }

        return 0;
    }
}
