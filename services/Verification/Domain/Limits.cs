namespace Capture.Verification.Domain;

/// <summary>Input limits, equal to the columns' lengths and the contract's ranges.</summary>
public static class Limits
{
    public const int SchoolCode = 16;
    public const int CollegeCode = 64;
    public const int CollegeName = Capture.Contracts.Registration.StudentDataLimits.CollegeName;
    public const int StudentNumber = 32;
    public const int StudentName = 128;
    public const int IdType = 40;
    public const int IdNumber = 32;
    public const int DegreeLevel = 32;
    public const int StudyMode = 32;
    public const int ObjectKey = 256;
    public const int Actor = 160;
    public const int RemoteAddress = 64;
    public const int Comment = 500;
    public const int Reason = 500;

    /// <summary>Largest JSON body any Verification endpoint accepts.</summary>
    public const long MaxBodyBytes = 16 * 1024;

    public const int MaxPageSize = 1000;

    /// <summary>Most students in one print list with thumbnails (the workbook, 20–40 KB a photo, is built in memory).</summary>
    public const int PrintListThumbnails = 2000;
}
