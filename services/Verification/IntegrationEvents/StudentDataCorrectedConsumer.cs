using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Messaging;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Capture.Verification.IntegrationEvents;

/// <summary>
/// A student's data changed in Registration: the snapshot that goes to CHSI follows, and a task the student has seen
/// (or disputed for its data) reopens for a new round with a fresh window. Values are never logged.
/// </summary>
public sealed partial class StudentDataCorrectedConsumer(VerificationDbContext db, TimeProvider time, IOptions<VerificationOptions> options, ILogger<StudentDataCorrectedConsumer> logger)
    : IdempotentConsumer<StudentDataCorrected, VerificationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<StudentDataCorrected> context)
    {
        var m = context.Message;
        if (m.Current is not { } c)
        {
            LogNoValues(logger, m.RegistrationId);
            return;
        }

        var task = await Db.Tasks.FindAsync([m.RegistrationId], context.CancellationToken);
        if (task is null || !task.HasData)
        {
            return; // not approved yet: RegistrationApproved will carry the current data
        }

        var now = time.GetUtcNow();
        var before = task.Round;
        var changed = task.LearnData(
            new StudentData(c.StudentNumber, c.StudentName, c.IdType, c.IdNumber, c.DegreeLevel, c.StudyMode, c.CollegeCode, c.CollegeName),
            null, options.Value.DefaultWindowDays, now);
        if (changed.Count == 0)
        {
            return;
        }

        Db.History.Add(new TaskHistoryEntry
        {
            RegistrationId = task.RegistrationId, Round = task.Round, Kind = TaskHistoryEntry.DataChanged,
            Fields = string.Join(',', changed), Actor = "registration", At = now,
        });
        if (task.Round != before)
        {
            LogReopened(logger, task.RegistrationId, task.Round, string.Join(',', changed));
        }
    }

    [LoggerMessage(LogLevel.Warning, "StudentDataCorrected for registration {RegistrationId} carries no values (an older publisher): the export snapshot is unchanged")]
    private static partial void LogNoValues(ILogger logger, Guid registrationId);

    [LoggerMessage(LogLevel.Information, "Verification of registration {RegistrationId} reopened (round {Round}): {Fields} changed")]
    private static partial void LogReopened(ILogger logger, Guid registrationId, int round, string fields);
}
