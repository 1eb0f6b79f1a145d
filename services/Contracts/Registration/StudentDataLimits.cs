namespace Capture.Contracts.Registration;

/// <summary>
/// The longest value (in characters) each student-data field of the Registration events may carry. Registration
/// refuses longer input and its columns have exactly these sizes; every consumer's column is at least this wide, so an
/// event Registration published can always be stored (a 200-character class name must not leave a student unable to
/// check in because Scheduling's column is narrower). Change a limit here and migrate every service together.
/// </summary>
public static class StudentDataLimits
{
    public const int SchoolCode = 16;
    public const int StudentNumber = 32;
    public const int StudentName = 100;
    public const int IdType = 40;
    public const int IdNumber = 32;
    public const int MaskedIdNumber = 32;
    public const int DegreeLevel = 16;
    public const int StudyMode = 16;
    public const int CollegeCode = 64;
    public const int CollegeName = 200;
    public const int ClassName = 200;
    public const int Campus = 200;
    public const int Cohort = 64;
}
