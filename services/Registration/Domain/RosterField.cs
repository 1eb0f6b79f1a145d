namespace Capture.Registration.Domain;

/// <summary>The fields of a roster row; the label is how the caller named the field (a sheet's header, or the JSON name).</summary>
public enum RosterField
{
    StudentNumber,
    Name,
    IdType,
    IdNumber,
    DegreeLevel,
    StudyMode,
    CollegeCode,
    CollegeName,
    Major,
    ClassName,
    Campus,
    Cohort,
    PreviouslyCaptured,
}
