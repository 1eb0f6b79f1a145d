namespace Capture.Registration.Domain;

/// <summary>
/// The fields a student may ask to correct. Name and ID number link the photo to the diploma record, so their
/// correction waits for a school admin's approval (with a supporting document, 000 §6); the others apply at once.
/// Student number, degree level and college come from the university's system and change only through the roster.
/// </summary>
public static class CorrectableField
{
    public const string Name = "name";
    public const string IdNumber = "idNumber";
    public const string Major = "major";
    public const string ClassName = "className";
    public const string Campus = "campus";

    public static IReadOnlyList<string> All { get; } = [Name, IdNumber, Major, ClassName, Campus];

    public static bool NeedsSchoolApproval(string field) => field is Name or IdNumber;

    /// <summary>
    /// Fields a student may dispute at verification but that change only through the roster (the university's
    /// system): a correction request of one is closed once the roster carries a new value.
    /// </summary>
    public static IReadOnlyList<string> RosterOnly { get; } = ["studentNumber", "degreeLevel", "studyMode", "collegeCode"];

    public static bool IsRosterOnly(string field) => RosterOnly.Contains(field);

    /// <summary>
    /// The registration field a field named in Verification's data dispute (<c>VerificationDisputed.Fields</c>) is
    /// corrected by; null for a name Registration does not know. The ID type is corrected with the ID number.
    /// </summary>
    public static string? FromVerification(string field) => field switch
    {
        "name" => Name,
        "idNumber" or "idType" => IdNumber,
        "studentNumber" => "studentNumber",
        "degreeLevel" => "degreeLevel",
        "studyMode" => "studyMode",
        "college" => "collegeCode",
        _ => null,
    };
}
