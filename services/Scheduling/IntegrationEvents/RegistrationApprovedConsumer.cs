using Capture.Contracts.Registration;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;

namespace Capture.Scheduling.IntegrationEvents;

/// <summary>Keeps the local copy of approved registrations that planning (headcounts per college and campus) and check-in use.</summary>
public sealed class RegistrationApprovedConsumer(SchedulingDbContext db, ILogger<RegistrationApprovedConsumer> logger)
    : IdempotentConsumer<RegistrationApproved, SchedulingDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RegistrationApproved> context)
    {
        var m = context.Message;
        var row = await Db.Registrations.FindAsync([m.RegistrationId], context.CancellationToken);
        if (row is null)
        {
            row = new ApprovedRegistration
            {
                RegistrationId = m.RegistrationId,
                SchoolCode = m.SchoolCode,
                CollegeCode = m.CollegeCode,
                CollegeName = m.CollegeName,
                StudentNumber = m.StudentNumber,
                StudentName = m.StudentName,
                MaskedIdNumber = m.MaskedIdNumber,
                DegreeLevel = m.DegreeLevel,
            };
            Db.Registrations.Add(row);
        }

        // Codes below the one issued with this approval are dead, whichever message arrives first.
        row.CaptureCodesValidFrom = Math.Max(row.CaptureCodesValidFrom, m.CaptureCodeVersion ?? 0);

        // An older approval arriving after a newer one changes nothing.
        if (row.ApprovedAt is { } known && known > m.ApprovedAt)
        {
            return;
        }

        row.CampaignId = m.CampaignId;
        row.SchoolCode = m.SchoolCode;
        row.ApprovedAt = m.ApprovedAt;

        // A fee changed after this approval was published (the change overtook it) stays.
        var campaign = await Db.Campaigns.FindAsync([m.CampaignId], context.CancellationToken);
        row.FeeFen = campaign is { FeeFen: { } fee, FeeChangedAt: { } changedAt } && changedAt > m.ApprovedAt ? fee : m.FeeFen;

        // A correction newer than this approval (it overtook it) keeps its values.
        if (row.DataAsOf is { } asOf && asOf > m.ApprovedAt)
        {
            return;
        }

        row.CollegeCode = m.CollegeCode;
        row.CollegeName = m.CollegeName;
        row.ClassName = m.ClassName;
        row.StudentNumber = m.StudentNumber;
        row.StudentName = m.StudentName;
        row.MaskedIdNumber = m.MaskedIdNumber;
        row.DegreeLevel = m.DegreeLevel;
        row.Campus = m.Campus;
        row.DataAsOf = m.ApprovedAt;
    }
}
