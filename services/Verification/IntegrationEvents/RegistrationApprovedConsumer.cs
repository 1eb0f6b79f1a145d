using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Messaging;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Capture.Verification.IntegrationEvents;

/// <summary>An approved registration: the data that will go to CHSI and the campaign's verification window (photo may come before or after).</summary>
public sealed class RegistrationApprovedConsumer(VerificationDbContext db, TimeProvider time, IOptions<VerificationOptions> options, ILogger<RegistrationApprovedConsumer> logger)
    : IdempotentConsumer<RegistrationApproved, VerificationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RegistrationApproved> context)
    {
        var m = context.Message;
        var now = time.GetUtcNow();
        var task = await Db.Tasks.FindAsync([m.RegistrationId], context.CancellationToken);
        if (task is null)
        {
            task = VerificationTask.Create(m.RegistrationId, m.CampaignId, m.SchoolCode, now);
            Db.Tasks.Add(task);
        }

        var data = new StudentData(m.StudentNumber, m.StudentName, m.IdType ?? "居民身份证", m.IdNumber, m.DegreeLevel, m.StudyMode, m.CollegeCode, m.CollegeName);
        var changed = task.LearnData(data, m.VerificationWindowDays, options.Value.DefaultWindowDays, now);
        if (changed.Count > 0 && task.PhotoId is not null)
        {
            Db.History.Add(new TaskHistoryEntry
            {
                RegistrationId = task.RegistrationId, Round = task.Round, Kind = TaskHistoryEntry.DataChanged,
                Fields = string.Join(',', changed), Actor = "registration", At = now,
            });
        }
    }
}
