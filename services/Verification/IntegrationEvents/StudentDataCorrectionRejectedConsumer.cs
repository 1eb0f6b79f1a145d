using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Messaging;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Capture.Verification.IntegrationEvents;

/// <summary>
/// The school rejected the correction a data dispute raised: the task reopens for the student with the data as it
/// is, and the school's note goes into the task's history (what the student sees of their task).
/// </summary>
public sealed partial class StudentDataCorrectionRejectedConsumer(VerificationDbContext db, TimeProvider time, IOptions<VerificationOptions> options, ILogger<StudentDataCorrectionRejectedConsumer> logger)
    : IdempotentConsumer<StudentDataCorrectionRejected, VerificationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<StudentDataCorrectionRejected> context)
    {
        var m = context.Message;
        var task = await Db.Tasks.FindAsync([m.RegistrationId], context.CancellationToken);
        var now = time.GetUtcNow();
        if (task is null || !task.CorrectionRejected(now, options.Value.DefaultWindowDays))
        {
            return;
        }

        Db.History.Add(new TaskHistoryEntry
        {
            RegistrationId = task.RegistrationId, Round = task.Round, Kind = TaskHistoryEntry.CorrectionRejected,
            Fields = string.Join(',', m.Fields), Comment = m.Note.Length > 500 ? m.Note[..500] : m.Note, Actor = "registration", At = now,
        });
        LogReopened(logger, task.RegistrationId, task.Round);
    }

    [LoggerMessage(LogLevel.Information, "Verification of registration {RegistrationId} reopened (round {Round}): the school rejected the data correction")]
    private static partial void LogReopened(ILogger logger, Guid registrationId, int round);
}
