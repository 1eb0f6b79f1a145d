using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Messaging;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using MassTransit;

namespace Capture.Verification.IntegrationEvents;

/// <summary>A withdrawn registration takes no more decisions and is left out of every later export (and reported there).</summary>
public sealed class RegistrationWithdrawnConsumer(VerificationDbContext db, TimeProvider time, ILogger<RegistrationWithdrawnConsumer> logger)
    : IdempotentConsumer<RegistrationWithdrawn, VerificationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RegistrationWithdrawn> context)
    {
        var m = context.Message;
        var task = await Db.Tasks.FindAsync([m.RegistrationId], context.CancellationToken);
        var now = time.GetUtcNow();
        if (task is null || !task.Withdraw(m.WithdrawnAt, now))
        {
            return;
        }

        Db.History.Add(new TaskHistoryEntry
        {
            RegistrationId = task.RegistrationId, Round = task.Round, Kind = TaskHistoryEntry.Withdrawn,
            Comment = m.Reason.Length > Limits.Comment ? m.Reason[..Limits.Comment] : m.Reason, Actor = "registration", At = now,
        });
    }
}
