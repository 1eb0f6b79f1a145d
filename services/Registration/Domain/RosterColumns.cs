namespace Capture.Registration.Domain;

/// <summary>
/// The column headers colleges use, Chinese and English, mapped to roster fields. Headers are compared without
/// spaces, asterisks and "(必填)" marks, case-insensitively; columns we do not know are ignored and reported.
/// </summary>
public static class RosterColumns
{
    private static readonly Dictionary<string, RosterField> Headers = Build(new()
    {
        [RosterField.StudentNumber] = ["学号", "学生学号", "studentnumber", "studentno", "studentid", "student_number"],
        [RosterField.Name] = ["姓名", "学生姓名", "name", "studentname", "fullname"],
        [RosterField.IdType] = ["证件类型", "身份证件类型", "idtype", "iddocumenttype", "documenttype", "id_type"],
        [RosterField.IdNumber] = ["身份证号", "身份证号码", "证件号码", "证件号", "身份证件号", "身份证件号码", "idnumber", "idno", "id_number", "iddocumentnumber"],
        [RosterField.DegreeLevel] = ["培养层次", "学历层次", "层次", "学位层次", "degreelevel", "degree", "level", "degree_level"],
        [RosterField.StudyMode] = ["学习形式", "学习方式", "培养方式", "studymode", "mode", "study_mode"],
        [RosterField.CollegeCode] = ["学院代码", "院系代码", "学院编号", "collegecode", "college_code"],
        [RosterField.CollegeName] = ["学院", "院系", "学院名称", "院系名称", "所在学院", "college", "collegename", "college_name"],
        [RosterField.Major] = ["专业", "专业名称", "major"],
        [RosterField.ClassName] = ["班级", "班级名称", "class", "classname", "class_name"],
        [RosterField.Campus] = ["校区", "campus"],
        [RosterField.Cohort] = ["届别", "毕业届别", "年级", "cohort"],
        [RosterField.PreviouslyCaptured] = ["已采集", "是否已采集", "已拍照", "previouslycaptured", "captured", "previously_captured"],
    });

    public static RosterField? Match(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        return Headers.TryGetValue(Normalize(header), out var field) ? field : null;
    }

    /// <summary>The columns a sheet must have; a missing one fails the whole file.</summary>
    public static IReadOnlyList<(RosterField Field, string Header)> Required { get; } =
    [
        (RosterField.StudentNumber, "学号"),
        (RosterField.Name, "姓名"),
        (RosterField.IdNumber, "身份证号"),
        (RosterField.DegreeLevel, "培养层次"),
        (RosterField.StudyMode, "学习形式"),
    ];

    /// <summary>是/否, yes/no, true/false, 1/0; null when empty or not recognized.</summary>
    public static bool? ParseYesNo(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "是" or "yes" or "y" or "true" or "1" or "已采集" => true,
        "否" or "no" or "n" or "false" or "0" or "未采集" or "" => false,
        _ => null,
    };

    private static string Normalize(string header) =>
        header.Trim().Replace("(必填)", "", StringComparison.Ordinal).Replace("（必填）", "", StringComparison.Ordinal)
            .Replace("*", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("\u3000", "", StringComparison.Ordinal)
            .ToLowerInvariant();

    private static Dictionary<string, RosterField> Build(Dictionary<RosterField, string[]> aliases) =>
        aliases.SelectMany(a => a.Value.Select(h => (Header: Normalize(h), a.Key))).ToDictionary(x => x.Header, x => x.Key);
}
