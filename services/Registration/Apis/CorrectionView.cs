using Capture.Registration.Domain;
using Capture.ServiceDefaults.Security;

namespace Capture.Registration.Apis;

/// <summary>A correction request as shown; an ID number correction shows its values masked unless the viewer may see them whole.</summary>
public sealed record CorrectionView(
    Guid Id,
    Guid RegistrationId,
    string CollegeCode,
    string Field,
    string? OldValue,
    string NewValue,
    string Reason,
    string? DocumentReference,
    string Status,
    bool NeedsSchoolApproval,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionNote)
{
    public static CorrectionView From(Correction c, bool fullIdNumber)
    {
        string? Show(string? value) => c.Field == CorrectableField.IdNumber && !fullIdNumber ? PersonalData.MaskIdNumber(value) : value;
        return new(c.Id, c.RegistrationId, c.CollegeCode, c.Field, Show(c.OldValue), Show(c.NewValue)!, c.Reason, c.DocumentReference, c.Status,
            CorrectableField.NeedsSchoolApproval(c.Field), c.RequestedBy, c.RequestedAt.ToShanghai(), c.DecidedBy, c.DecidedAt?.ToShanghai(), c.DecisionNote);
    }
}
