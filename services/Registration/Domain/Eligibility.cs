namespace Capture.Registration.Domain;

/// <summary>
/// Who may be captured: once per degree level. A student already captured for this degree level (in an earlier
/// campaign, or marked 已采集 in the roster) is refused, since a second photo conflicts at CHSI (002 §6.4, 004 §1);
/// a master going on to a PhD is captured again for the PhD (004 §1); an earlier-cohort student never captured may
/// join (001 §1.4), so the cohort alone never refuses anyone.
/// </summary>
public static class Eligibility
{
    /// <summary>Why the student may not be registered, or null when eligible.</summary>
    public static string? Refusal(StudentData student, IEnumerable<PriorCapture> captures)
    {
        var level = DegreeLevels.Chinese(student.DegreeLevel);
        if (student.PreviouslyCaptured)
        {
            return $"The roster marks this student as already captured (已采集) for {level}: a student is captured once per degree level. Remove the row, or clear the mark if no photo was taken.";
        }

        var earlier = captures.FirstOrDefault(c => c.IdNumber == student.IdNumber && c.DegreeLevel == student.DegreeLevel);
        return earlier is null
            ? null
            : $"This student already has a capture for {level}{(earlier.Note is null ? "" : $" ({earlier.Note})")}: a student is captured once per degree level, so the row is refused.";
    }
}
