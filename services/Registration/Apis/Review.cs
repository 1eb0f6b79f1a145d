using Capture.Contracts.Registration;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Capture.Registration.Apis;

/// <summary>The college's decision on one registration, with its event in the same transaction (the caller saves).</summary>
public static class Review
{
    /// <summary>Why the registration cannot be approved or rejected now, or null after the change (and its event) was made.</summary>
    public static string? Decide(
        RegistrationDbContext db, Campaign campaign, StudentRegistration r, bool approve, string? reason, bool correctionPending, string actor, DateTimeOffset now)
    {
        if (campaign.IsClosed)
        {
            return $"Campaign {campaign.Cohort} is closed: registrations can no longer be reviewed.";
        }

        if (approve)
        {
            if (correctionPending)
            {
                return "A correction of this student's name or ID number is waiting for the school's decision: approve after it is decided.";
            }

            var (refusal, changed) = r.Approve(actor, now);
            if (changed)
            {
                db.AddIntegrationEvent(new RegistrationApproved(
                    r.Id, campaign.Id, campaign.SchoolCode, r.CollegeCode, r.CollegeName, r.ClassName, r.StudentNumber, r.Name,
                    PersonalData.MaskIdNumber(r.IdNumber), r.DegreeLevel, r.StudyMode, r.Campus, campaign.FeeFen, now,
                    r.IdType, r.IdNumber, campaign.VerificationWindowDays, r.CaptureCodeVersion));
            }

            return refusal;
        }

        var (rejectRefusal, rejected) = r.Reject(reason!, actor, now);
        if (rejected)
        {
            db.AddIntegrationEvent(new RegistrationRejected(r.Id, campaign.Id, r.CollegeCode, reason!, now));
        }

        return rejectRefusal;
    }

    public static Task<List<Guid>> PendingSchoolCorrectionsAsync(RegistrationDbContext db, IReadOnlyCollection<Guid> registrationIds, CancellationToken ct) =>
        db.Corrections.Where(c => registrationIds.Contains(c.RegistrationId) && c.Status == CorrectionStatus.Pending).Select(c => c.RegistrationId).ToListAsync(ct);
}
