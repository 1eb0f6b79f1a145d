using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Infrastructure;

public static class Attendances
{
    /// <summary>The tracked attendance row of a registration, added when there is none yet.</summary>
    public static async Task<Attendance> GetOrAddAsync(PaymentDbContext db, Guid registrationId, Guid campaignId, CancellationToken ct)
    {
        var row = db.Attendances.Local.FirstOrDefault(a => a.RegistrationId == registrationId)
            ?? await db.Attendances.FirstOrDefaultAsync(a => a.RegistrationId == registrationId, ct);
        if (row is null)
        {
            row = new Attendance { RegistrationId = registrationId, CampaignId = campaignId };
            db.Attendances.Add(row);
        }

        return row;
    }
}
