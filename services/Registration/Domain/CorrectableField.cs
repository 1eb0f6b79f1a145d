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
}
