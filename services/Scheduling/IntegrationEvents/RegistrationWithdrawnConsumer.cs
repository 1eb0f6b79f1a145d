using Capture.Contracts.Registration;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;

namespace Capture.Scheduling.IntegrationEvents;

/// <summary>Takes a withdrawn registration out of planning and check-in. Arriving before its approval, it leaves a tombstone.</summary>
public sealed class RegistrationWithdrawnConsumer(SchedulingDbContext db, ILogger<RegistrationWithdrawnConsumer> logger)
    : IdempotentConsumer<RegistrationWithdrawn, SchedulingDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RegistrationWithdrawn> context)
    {
        var m = context.Message;
        var row = await Db.Registrations.FindAsync([m.RegistrationId], context.CancellationToken);
        if (row is null)
        {
            Db.Registrations.Add(new ApprovedRegistration
            {
                RegistrationId = m.RegistrationId,
                CampaignId = m.CampaignId,
                SchoolCode = string.Empty,
                CollegeCode = m.CollegeCode,
                CollegeName = string.Empty,
                StudentNumber = string.Empty,
                StudentName = string.Empty,
                MaskedIdNumber = string.Empty,
                DegreeLevel = string.Empty,
                WithdrawnAt = m.WithdrawnAt,
            });
            return;
        }

        if (row.WithdrawnAt is null || row.WithdrawnAt < m.WithdrawnAt)
        {
            row.WithdrawnAt = m.WithdrawnAt;
        }
    }
}
