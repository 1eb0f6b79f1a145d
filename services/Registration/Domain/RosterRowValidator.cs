namespace Capture.Registration.Domain;

/// <summary>Checks one roster row on its own: required fields, the fixed lists, the ID document. Duplicates and eligibility are checked across rows by the importer.</summary>
public static class RosterRowValidator
{
    public const int MaxNameLength = 100;

    public static (StudentData? Data, List<RowError> Errors) Validate(
        int line, RosterStudent row, Func<RosterField, string> label, string? defaultCollegeCode = null, DateOnly? today = null)
    {
        var errors = new List<RowError>();
        var studentNumber = Clean(row.StudentNumber);
        void Add(RosterField field, string message) => errors.Add(new RowError(line, studentNumber, label(field), message));

        if (studentNumber is null)
        {
            Add(RosterField.StudentNumber, "The student number (学号) is missing.");
        }
        else if (studentNumber.Length > 32 || !studentNumber.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            Add(RosterField.StudentNumber, "A student number (学号) has at most 32 letters, digits or '-'.");
        }

        var name = Clean(row.Name);
        if (name is null)
        {
            Add(RosterField.Name, "The name (姓名) is missing.");
        }
        else if (name.Length > MaxNameLength)
        {
            Add(RosterField.Name, $"The name has {name.Length} characters; at most {MaxNameLength} are accepted.");
        }

        var idType = IdDocumentType.Parse(row.IdType);
        string? idNumber = null;
        if (idType is null)
        {
            Add(RosterField.IdType, $"Unknown ID document type '{row.IdType}': use one of {IdDocumentType.Choices} (empty means 居民身份证).");
        }
        else
        {
            var check = IdDocumentValidator.Validate(idType, row.IdNumber, today);
            idNumber = check.Number;
            if (!check.IsValid)
            {
                Add(RosterField.IdNumber, check.Error!);
            }
        }

        var degree = DegreeLevels.Parse(row.DegreeLevel);
        if (degree is null)
        {
            Add(RosterField.DegreeLevel, Clean(row.DegreeLevel) is null
                ? $"The degree level (培养层次) is missing: use one of {DegreeLevels.Choices}."
                : $"Unknown degree level '{row.DegreeLevel}': use one of {DegreeLevels.Choices}.");
        }

        var mode = StudyModes.Parse(row.StudyMode);
        if (mode is null)
        {
            Add(RosterField.StudyMode, Clean(row.StudyMode) is null
                ? $"The study mode (学习形式) is missing: use one of {StudyModes.Choices}."
                : $"Unknown study mode '{row.StudyMode}': use one of {StudyModes.Choices}.");
        }

        var collegeCode = Clean(row.CollegeCode) ?? defaultCollegeCode;
        var collegeName = Clean(row.CollegeName);
        if (collegeCode is null)
        {
            Add(RosterField.CollegeCode, "The college code (学院代码) is missing.");
        }
        else if (collegeCode.Length > 64)
        {
            Add(RosterField.CollegeCode, "A college code has at most 64 characters.");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new StudentData(
            studentNumber!, name!, idType!, idNumber!, degree!, mode!, collegeCode!, collegeName ?? collegeCode!,
            Clean(row.Major), Clean(row.ClassName), Clean(row.Campus), Clean(row.Cohort), row.PreviouslyCaptured ?? false), errors);
    }

    private static string? Clean(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
