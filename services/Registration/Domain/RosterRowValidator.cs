using Capture.ServiceDefaults.Validation;

namespace Capture.Registration.Domain;

/// <summary>
/// Checks one roster row on its own: required fields, lengths (<see cref="FieldLengths"/>) and characters, the fixed
/// lists, the ID document. A bad row is reported with its line and column and never fails the other rows. Duplicates
/// and eligibility are checked across rows by the importer.
/// </summary>
public static class RosterRowValidator
{
    public const int MaxNameLength = FieldLengths.Name;

    /// <summary>
    /// <paramref name="storedAsNumbers"/>: the fields whose spreadsheet cell was a number too long for Excel to keep
    /// (more than 15 digits), so its digits are already lost.
    /// </summary>
    public static (StudentData? Data, List<RowError> Errors) Validate(
        int line, RosterStudent row, Func<RosterField, string> label, string? defaultCollegeCode = null, DateOnly? today = null,
        IReadOnlyCollection<RosterField>? storedAsNumbers = null)
    {
        var errors = new List<RowError>();
        var givenNumber = Clean(row.StudentNumber);
        var numberShape = givenNumber is not null && givenNumber.Length <= FieldLengths.StudentNumber && givenNumber.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
        var studentNumber = numberShape && storedAsNumbers?.Contains(RosterField.StudentNumber) != true ? givenNumber : null;
        void Add(RosterField field, string message) => errors.Add(new RowError(line, studentNumber, label(field), message));

        if (storedAsNumbers?.Contains(RosterField.StudentNumber) == true)
        {
            Add(RosterField.StudentNumber, StoredAsNumber(label(RosterField.StudentNumber)));
        }
        else if (givenNumber is null)
        {
            Add(RosterField.StudentNumber, "The student number (学号) is missing.");
        }
        else if (!numberShape)
        {
            Add(RosterField.StudentNumber, $"A student number (学号) has at most {FieldLengths.StudentNumber} letters, digits or '-'.");
        }

        var name = Clean(row.Name) is { } given ? TextRules.NormalizeName(given) : null;
        if (name is null)
        {
            Add(RosterField.Name, "The name (姓名) is missing.");
        }
        else if (TextRules.CheckName(name, FieldLengths.Name) is { } badName)
        {
            Add(RosterField.Name, badName);
        }

        var idType = IdDocumentType.Parse(row.IdType);
        string? idNumber = null;
        if (idType is null)
        {
            Add(RosterField.IdType, $"Unknown ID document type '{Echo(row.IdType)}': use one of {IdDocumentType.Choices} (empty means 居民身份证).");
        }
        else if (storedAsNumbers?.Contains(RosterField.IdNumber) == true || LooksLikeExcelNumber(row.IdNumber))
        {
            Add(RosterField.IdNumber, StoredAsNumber(label(RosterField.IdNumber)));
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
                : $"Unknown degree level '{Echo(row.DegreeLevel)}': use one of {DegreeLevels.Choices}.");
        }

        var mode = StudyModes.Parse(row.StudyMode);
        if (mode is null)
        {
            Add(RosterField.StudyMode, Clean(row.StudyMode) is null
                ? $"The study mode (学习形式) is missing: use one of {StudyModes.Choices}."
                : $"Unknown study mode '{Echo(row.StudyMode)}': use one of {StudyModes.Choices}.");
        }

        var collegeCode = Clean(row.CollegeCode) ?? defaultCollegeCode;
        var collegeName = Clean(row.CollegeName);
        if (collegeCode is null)
        {
            Add(RosterField.CollegeCode, "The college code (学院代码) is missing.");
        }
        else if (TextRules.CheckText(collegeCode, FieldLengths.CollegeCode) is { } badCode)
        {
            Add(RosterField.CollegeCode, "College code (学院代码): " + badCode);
        }

        var major = Clean(row.Major);
        var className = Clean(row.ClassName);
        var campus = Clean(row.Campus);
        var cohort = Clean(row.Cohort);
        foreach (var (field, value, max) in new[]
                 {
                     (RosterField.CollegeName, collegeName, FieldLengths.CollegeName),
                     (RosterField.Major, major, FieldLengths.Major),
                     (RosterField.ClassName, className, FieldLengths.ClassName),
                     (RosterField.Campus, campus, FieldLengths.Campus),
                     (RosterField.Cohort, cohort, FieldLengths.Cohort),
                 })
        {
            if (TextRules.CheckText(value, max) is { } badText)
            {
                Add(field, badText);
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new StudentData(
            studentNumber!, name!, idType!, idNumber!, degree!, mode!, collegeCode!, collegeName ?? collegeCode!,
            major, className, campus, cohort, row.PreviouslyCaptured ?? false), errors);
    }

    /// <summary>What to do when Excel kept an ID or student number as a number and dropped its last digits.</summary>
    public static string StoredAsNumber(string column) =>
        $"The {column} cell is stored as a number in Excel, which keeps only 15 digits (it shows as 1.10105E+17), so the last digits are lost: format the {column} column as Text (设置单元格格式 → 文本), type or paste the numbers again, and upload again.";

    /// <summary>An 18-digit number as a CSV saved from Excel writes it: 1.10105E+17.</summary>
    private static bool LooksLikeExcelNumber(string? value) =>
        value?.Trim() is { Length: > 0 } v
        && System.Text.RegularExpressions.Regex.IsMatch(v, @"^\d(\.\d+)?[eE]\+?\d{1,2}$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    private static string Echo(string? value) => value is null ? "" : value.Length <= 40 ? value : value[..40] + "…";

    private static string? Clean(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
