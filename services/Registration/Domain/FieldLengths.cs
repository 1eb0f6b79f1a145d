namespace Capture.Registration.Domain;

/// <summary>
/// The longest value each student field may hold, checked before the database sees it (docs/registration.md). Each
/// equals its column, except class name and campus: their columns here hold 200, but RegistrationApproved carries them
/// to Scheduling's 128-character columns, so the contract's 128 is the limit.
/// </summary>
public static class FieldLengths
{
    public const int StudentNumber = 32;
    public const int Name = 100;
    public const int IdType = 40;
    public const int IdNumber = 32;
    public const int CollegeCode = 64;
    public const int CollegeName = 200;
    public const int Major = 200;
    public const int ClassName = 128;
    public const int Campus = 128;
    public const int Cohort = 64;
    public const int Reason = 1000;
    public const int DocumentReference = 500;
    public const int PriorCaptureNote = 200;

    /// <summary>The limit of a correctable field's new value.</summary>
    public static int Of(string correctableField) => correctableField switch
    {
        CorrectableField.Name => Name,
        CorrectableField.IdNumber => IdNumber,
        CorrectableField.ClassName => ClassName,
        CorrectableField.Campus => Campus,
        _ => Major,
    };
}
