using Capture.Contracts.Registration;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Capture.Registration.Apis;

/// <summary>Applies a decided correction to its registration, with history and the StudentDataCorrected event (the caller saves).</summary>
public static class Corrections
{
    /// <summary>Why the correction cannot be applied, or null once applied.</summary>
    public static async Task<string?> ApplyAsync(RegistrationDbContext db, Correction correction, StudentRegistration r, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (correction.Field == CorrectableField.IdNumber
            && await db.Registrations.AnyAsync(x => x.CampaignId == r.CampaignId && x.IdNumber == correction.NewValue && x.Id != r.Id, ct))
        {
            return "Another student of this campaign already has this ID number: check the number with the student.";
        }

        correction.Decide(approved: true, actor, null, now);
        var entries = r.ApplyCorrection(correction, actor, now);
        db.History.AddRange(entries);
        if (entries.Count > 0)
        {
            db.AddIntegrationEvent(new StudentDataCorrected(r.Id, r.CampaignId, [.. entries.Select(e => e.Field)], now, r.Snapshot()));
        }

        return null;
    }
}
