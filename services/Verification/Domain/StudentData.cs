namespace Capture.Verification.Domain;

/// <summary>The data that goes to CHSI with the photo (a copy learned from Registration's events), as the student checks it.</summary>
public sealed record StudentData(
    string StudentNumber,
    string StudentName,
    string IdType,
    string? IdNumber,
    string DegreeLevel,
    string StudyMode,
    string CollegeCode,
    string CollegeName)
{
    /// <summary>The field names a data dispute may name (those of Registration's correction request where they exist).</summary>
    public static readonly IReadOnlyList<string> FieldNames = ["name", "idNumber", "idType", "studentNumber", "degreeLevel", "studyMode", "college"];

    /// <summary>Fields that differ between two snapshots (names as in <see cref="FieldNames"/>).</summary>
    public static IReadOnlyList<string> Changed(StudentData? before, StudentData after)
    {
        if (before is null)
        {
            return FieldNames;
        }

        var changed = new List<string>();
        if (before.StudentName != after.StudentName) changed.Add("name");
        if (before.IdNumber != after.IdNumber) changed.Add("idNumber");
        if (before.IdType != after.IdType) changed.Add("idType");
        if (before.StudentNumber != after.StudentNumber) changed.Add("studentNumber");
        if (before.DegreeLevel != after.DegreeLevel) changed.Add("degreeLevel");
        if (before.StudyMode != after.StudyMode) changed.Add("studyMode");
        if (before.CollegeCode != after.CollegeCode || before.CollegeName != after.CollegeName) changed.Add("college");
        return changed;
    }

    private static string Cut(string? value, int max) => value is null ? "" : value.Length > max ? value[..max] : value;

    /// <summary>Values cut to their columns (an event from another service is not trusted to fit).</summary>
    public StudentData Fitted() => new(
        Cut(StudentNumber, Limits.StudentNumber), Cut(StudentName, Limits.StudentName), Cut(IdType, Limits.IdType),
        IdNumber is null ? null : Cut(IdNumber, Limits.IdNumber), Cut(DegreeLevel, Limits.DegreeLevel), Cut(StudyMode, Limits.StudyMode),
        Cut(CollegeCode, Limits.CollegeCode), Cut(CollegeName, Limits.CollegeName));
}
