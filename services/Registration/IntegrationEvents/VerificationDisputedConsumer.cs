using Capture.Contracts.Verification;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Registration.IntegrationEvents;

/// <summary>
/// A student disputed their data at verification (校对): each wrong field becomes a correction request the school
/// handles (status <c>requested</c>: the dispute names fields, never values). The student completes it in their
/// correction form or the school admin enters the value when approving; the approval publishes StudentDataCorrected,
/// and Verification reopens the task with the corrected data. A field that already has an open request gets no second one;
/// a photo dispute is Scheduling's (a makeup capture).
/// </summary>
public sealed partial class VerificationDisputedConsumer(RegistrationDbContext db, ILogger<VerificationDisputedConsumer> logger)
    : IdempotentConsumer<VerificationDisputed, RegistrationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<VerificationDisputed> context)
    {
        var m = context.Message;
        if (m.Kind != VerificationDisputeKinds.Data)
        {
            return;
        }

        var ct = context.CancellationToken;
        var registration = await Db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == m.RegistrationId, ct)
            ?? throw new InvalidOperationException($"VerificationDisputed names registration {m.RegistrationId}, which Registration does not have.");
        if (!string.Equals(registration.SchoolCode, m.SchoolCode, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"VerificationDisputed for registration {m.RegistrationId} says school {m.SchoolCode}; the registration belongs to another school.");
        }

        if (registration.Status == RegistrationStatus.Withdrawn)
        {
            LogWithdrawn(logger, m.RegistrationId);
            return;
        }

        var fields = m.Fields.Select(CorrectableField.FromVerification).OfType<string>().Distinct().ToList();
        var open = await Db.Corrections.Where(c => c.RegistrationId == registration.Id && fields.Contains(c.Field)
                && (c.Status == CorrectionStatus.Requested || c.Status == CorrectionStatus.Pending))
            .Select(c => c.Field).ToListAsync(ct);
        var requested = fields.Except(open).ToList();
        foreach (var field in requested)
        {
            Db.Corrections.Add(Correction.RequestAtVerification(registration, field, m.Round, m.DisputedAt));
        }

        LogRequested(logger, m.RegistrationId, m.Round, string.Join(',', requested), string.Join(',', open));
    }

    [LoggerMessage(LogLevel.Information, "Data dispute at verification for registration {RegistrationId} (round {Round}): correction requested for {Fields}; already open: {Open}")]
    private static partial void LogRequested(ILogger logger, Guid registrationId, int round, string fields, string open);

    [LoggerMessage(LogLevel.Information, "Data dispute at verification for registration {RegistrationId} ignored: the registration was withdrawn")]
    private static partial void LogWithdrawn(ILogger logger, Guid registrationId);
}
