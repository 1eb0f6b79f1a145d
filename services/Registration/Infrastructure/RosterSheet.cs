using Capture.Registration.Domain;
using Capture.ServiceDefaults.Spreadsheets;

namespace Capture.Registration.Infrastructure;

/// <summary>Turns a read sheet into roster lines by its headers, or says which required column is missing.</summary>
public static class RosterSheet
{
    public sealed record Mapped(IReadOnlyList<RosterLine> Lines, Func<RosterField, string> Label, IReadOnlyList<string> IgnoredColumns);

    public static (Mapped? Result, Dictionary<string, string[]>? Errors) Map(Sheet sheet, bool collegeCodeMayBeMissing)
    {
        var columns = new Dictionary<RosterField, int>();
        var labels = new Dictionary<RosterField, string>();
        var ignored = new List<string>();
        for (var i = 0; i < sheet.Headers.Count; i++)
        {
            var header = sheet.Headers[i].Trim();
            if (RosterColumns.Match(header) is { } field && !columns.ContainsKey(field))
            {
                columns[field] = i;
                labels[field] = header;
            }
            else if (header.Length > 0)
            {
                ignored.Add(header);
            }
        }

        var missing = RosterColumns.Required.Where(r => !columns.ContainsKey(r.Field)).Select(r => r.Header).ToList();
        if (!collegeCodeMayBeMissing && !columns.ContainsKey(RosterField.CollegeCode))
        {
            missing.Add("学院代码");
        }

        if (missing.Count > 0)
        {
            return (null, new Dictionary<string, string[]>
            {
                ["file"] = [$"The first row must name the columns; these are missing: {string.Join(", ", missing)}. Accepted headers include 学号, 姓名, 证件类型, 身份证号, 培养层次, 学习形式, 学院代码, 学院, 专业, 班级, 校区, 已采集 (or their English names, e.g. studentNumber, name, idNumber)."],
            });
        }

        if (sheet.Rows.Count > RosterImporter.MaxRows)
        {
            return (null, new Dictionary<string, string[]> { ["file"] = [$"The file has {sheet.Rows.Count} rows; at most {RosterImporter.MaxRows} are accepted at once: split it."] });
        }

        string? Cell(string?[] cells, RosterField field) =>
            columns.TryGetValue(field, out var index) && index < cells.Length ? cells[index] : null;

        IReadOnlyCollection<RosterField>? StoredAsNumbers(int line)
        {
            var fields = columns.Where(c => sheet.StoredAsNumbers.Contains((line, c.Value))).Select(c => c.Key).ToList();
            return fields.Count == 0 ? null : fields;
        }

        var lines = sheet.Rows.Select(r => new RosterLine(r.Line, new RosterStudent(
            Cell(r.Cells, RosterField.StudentNumber),
            Cell(r.Cells, RosterField.Name),
            Cell(r.Cells, RosterField.IdType),
            Cell(r.Cells, RosterField.IdNumber),
            Cell(r.Cells, RosterField.DegreeLevel),
            Cell(r.Cells, RosterField.StudyMode),
            Cell(r.Cells, RosterField.CollegeCode),
            Cell(r.Cells, RosterField.CollegeName),
            Cell(r.Cells, RosterField.Major),
            Cell(r.Cells, RosterField.ClassName),
            Cell(r.Cells, RosterField.Campus),
            Cell(r.Cells, RosterField.Cohort),
            RosterColumns.ParseYesNo(Cell(r.Cells, RosterField.PreviouslyCaptured))), StoredAsNumbers(r.Line))).ToList();
        return (new Mapped(lines, f => labels.TryGetValue(f, out var l) ? l : f.ToString(), ignored), null);
    }
}
