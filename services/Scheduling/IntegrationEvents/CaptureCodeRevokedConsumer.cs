using Capture.Contracts.Registration;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.IntegrationEvents;

/// <summary>
/// A revoked or replaced capture code stops working here at once: the registration's lowest valid code version rises
/// (every instance checks it in the database on every scan, so no instance's cache can admit the old code) and the
/// offline copies of older codes are deleted. Arriving before the approval, it leaves a tombstone with the version.
/// </summary>
public sealed partial class CaptureCodeRevokedConsumer(SchedulingDbContext db, ILogger<CaptureCodeRevokedConsumer> logger)
    : IdempotentConsumer<CaptureCodeRevoked, SchedulingDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<CaptureCodeRevoked> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var row = await Db.Registrations.FindAsync([m.RegistrationId], ct);
        if (row is null)
        {
            row = new ApprovedRegistration
            {
                RegistrationId = m.RegistrationId,
                CampaignId = m.CampaignId,
                SchoolCode = m.SchoolCode,
                CollegeCode = string.Empty,
                CollegeName = string.Empty,
                StudentNumber = string.Empty,
                StudentName = string.Empty,
                MaskedIdNumber = string.Empty,
                DegreeLevel = string.Empty,
            };
            Db.Registrations.Add(row);
        }

        row.CaptureCodesValidFrom = Math.Max(row.CaptureCodesValidFrom, m.ValidFromVersion);
        var validFrom = row.CaptureCodesValidFrom;
        await Db.VerifiedCaptureCodes
            .Where(c => c.RegistrationId == m.RegistrationId && (c.Version == null || c.Version < validFrom))
            .ExecuteDeleteAsync(ct);
        LogRevoked(logger, m.RegistrationId, m.Reason, validFrom);
    }

    [LoggerMessage(LogLevel.Information, "Capture codes of registration {RegistrationId} {Reason}: only version {ValidFrom} and later are honoured")]
    private static partial void LogRevoked(ILogger logger, Guid registrationId, string reason, int validFrom);
}
