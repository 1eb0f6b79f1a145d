namespace Capture.Registration.Domain;

/// <summary>A validated, normalized roster row: what a registration holds about the student.</summary>
public sealed record StudentData(
    string StudentNumber,
    string Name,
    string IdType,
    string IdNumber,
    string DegreeLevel,
    string StudyMode,
    string CollegeCode,
    string CollegeName,
    string? Major,
    string? ClassName,
    string? Campus,
    string? Cohort,
    bool PreviouslyCaptured);
