namespace Capture.Registration.Domain;

/// <summary>One student as the university's system or a college's sheet sends it, not yet validated.</summary>
public sealed record RosterStudent(
    string? StudentNumber,
    string? Name,
    string? IdType,
    string? IdNumber,
    string? DegreeLevel,
    string? StudyMode,
    string? CollegeCode,
    string? CollegeName,
    string? Major,
    string? ClassName,
    string? Campus,
    string? Cohort,
    bool? PreviouslyCaptured);
