using Capture.Contracts.Registration;
using Capture.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Capture.Registration.Infrastructure;

/// <summary>
/// One roster row before validation: its line and the data as sent, and the fields whose spreadsheet cell was a number
/// too long for Excel to keep (<see cref="RosterRowValidator.StoredAsNumber"/>).
/// </summary>
public sealed record RosterLine(int Line, RosterStudent Student, IReadOnlyCollection<RosterField>? StoredAsNumbers = null);

/// <summary>A student whose data the import changed, and which fields.</summary>
public sealed record ChangedStudent(string StudentNumber, IReadOnlyList<string> Fields);

/// <summary>What an import did (or, when <see cref="Imported"/> is false, would have done: nothing was saved).</summary>
public sealed record RosterImportReport(
    bool Imported,
    int Received,
    int Created,
    int Updated,
    int Unchanged,
    int Refused,
    IReadOnlyList<ChangedStudent> Changes,
    IReadOnlyList<RowError> Errors,
    IReadOnlyList<string> IgnoredColumns);

/// <summary>Who imports and with what rights: the college staff's own college, when the caller is college staff.</summary>
public sealed record ImportCaller(string Actor, string? OnlyCollege);

/// <summary>
/// Upserts a roster into a campaign, idempotent by student number: a new student is registered (StudentRegistered),
/// a changed one is updated with history (StudentDataCorrected), an identical one is left alone. Every row is checked
/// first; with any error nothing is saved unless the caller asked to import only the valid rows.
/// </summary>
public sealed class RosterImporter(RegistrationDbContext db, TimeProvider clock)
{
    public const int MaxRows = 20_000;
    private const int SaveChunk = 2_000;

    public async Task<RosterImportReport> ImportAsync(
        Campaign campaign, IReadOnlyList<RosterLine> lines, Func<RosterField, string> label, ImportCaller caller, bool onlyValidRows,
        IReadOnlyList<string> ignoredColumns, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToShanghai().DateTime);
        var errors = new List<RowError>();
        var valid = new List<(int Line, StudentData Data)>();
        var byNumber = new Dictionary<string, int>(StringComparer.Ordinal);
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var (line, student, storedAsNumbers) in lines)
        {
            var (data, rowErrors) = RosterRowValidator.Validate(line, student, label, caller.OnlyCollege, today, storedAsNumbers);
            if (data is null)
            {
                errors.AddRange(rowErrors);
                continue;
            }

            void Refuse(RosterField field, string message) => errors.Add(new RowError(line, data.StudentNumber, label(field), message));

            if (caller.OnlyCollege is { } own && data.CollegeCode != own)
            {
                Refuse(RosterField.CollegeCode, $"This row is for college '{data.CollegeCode}'; you may import students of your own college ('{own}') only.");
            }
            else if (campaign.PopulationRefusal(data.DegreeLevel, data.StudyMode) is { } outside)
            {
                Refuse(!campaign.DegreeLevels.Contains(data.DegreeLevel) ? RosterField.DegreeLevel : RosterField.StudyMode, outside);
            }
            else if (byNumber.TryGetValue(data.StudentNumber, out var first))
            {
                Refuse(RosterField.StudentNumber, $"Student number {data.StudentNumber} is also on line {first}: keep one row per student.");
            }
            else if (byId.TryGetValue(data.IdNumber, out var firstId))
            {
                Refuse(RosterField.IdNumber, $"The same ID number is also on line {firstId}: two students cannot share an ID number; check both rows.");
            }
            else
            {
                byNumber[data.StudentNumber] = line;
                byId[data.IdNumber] = line;
                valid.Add((line, data));
            }
        }

        var existing = await db.Registrations.AsNoTracking().Where(r => r.CampaignId == campaign.Id).ToListAsync(ct);
        var existingByNumber = existing.ToDictionary(r => r.StudentNumber, StringComparer.Ordinal);
        var existingById = existing.ToDictionary(r => r.IdNumber, StringComparer.Ordinal);
        var newIds = valid.Where(v => !existingByNumber.ContainsKey(v.Data.StudentNumber)).Select(v => v.Data.IdNumber).ToList();
        var captures = newIds.Count == 0
            ? Array.Empty<PriorCapture>().ToLookup(p => p.IdNumber)
            : (await db.PriorCaptures.AsNoTracking().Where(p => p.SchoolCode == campaign.SchoolCode && newIds.Contains(p.IdNumber)).ToListAsync(ct)).ToLookup(p => p.IdNumber);
        var frozen = campaign.CorrectionRefusal(now);

        var toCreate = new List<StudentData>();
        var toUpdate = new List<(StudentRegistration Registration, StudentData Data, List<string> Fields)>();
        var unchanged = 0;
        foreach (var (line, data) in valid)
        {
            void Refuse(RosterField field, string message) => errors.Add(new RowError(line, data.StudentNumber, label(field), message));

            if (existingById.TryGetValue(data.IdNumber, out var holder) && holder.StudentNumber != data.StudentNumber)
            {
                Refuse(RosterField.IdNumber, caller.OnlyCollege is not null && holder.CollegeCode != caller.OnlyCollege
                    ? "This ID number is already registered in the campaign for a student of another college: check the number, or ask the school's office."
                    : $"This ID number is already registered in the campaign for student number {holder.StudentNumber}: check which of the two is right.");
                continue;
            }

            if (existingByNumber.TryGetValue(data.StudentNumber, out var current))
            {
                if (caller.OnlyCollege is not null && current.CollegeCode != caller.OnlyCollege)
                {
                    // College staff never move (or overwrite) another college's student; the school's office does.
                    Refuse(RosterField.StudentNumber, "This student number is registered in the campaign under another college: check the number, or ask the school's office to move the student.");
                    continue;
                }

                var fields = current.Differences(data);
                if (fields.Count == 0)
                {
                    unchanged++;
                }
                else if (frozen is not null)
                {
                    Refuse(FieldOf(fields[0]), $"The roster changes {string.Join(", ", fields)} of this student, but {frozen}");
                }
                else
                {
                    toUpdate.Add((current, data, fields));
                }

                continue;
            }

            if (Eligibility.Refusal(data, captures[data.IdNumber]) is { } ineligible)
            {
                Refuse(data.PreviouslyCaptured ? RosterField.PreviouslyCaptured : RosterField.IdNumber, ineligible);
                continue;
            }

            toCreate.Add(data);
        }

        errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        var refusedRows = errors.Select(e => e.Line).Distinct().Count();
        var changes = toUpdate.Select(u => new ChangedStudent(u.Data.StudentNumber, u.Fields)).ToList();
        if (errors.Count > 0 && !onlyValidRows)
        {
            return new RosterImportReport(false, lines.Count, 0, 0, unchanged, refusedRows, changes, errors, ignoredColumns);
        }

        await SaveAsync(campaign, toCreate, toUpdate, lines.Where(l => l.Student.PreviouslyCaptured == true), caller, now, ct);
        return new RosterImportReport(true, lines.Count, toCreate.Count, toUpdate.Count, unchanged, refusedRows, changes, errors, ignoredColumns);
    }

    private async Task SaveAsync(
        Campaign campaign, List<StudentData> toCreate, List<(StudentRegistration Registration, StudentData Data, List<string> Fields)> toUpdate,
        IEnumerable<RosterLine> markedCaptured, ImportCaller caller, DateTimeOffset now, CancellationToken ct)
    {
        // One transaction, saved in chunks with the change tracker cleared between them: a 20,000-row roster never holds
        // 40,000 tracked entities (registrations and their events) at once.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tracked = 0;
        async Task FlushWhenFullAsync(int added)
        {
            tracked += added;
            if (tracked >= SaveChunk)
            {
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                tracked = 0;
            }
        }

        foreach (var data in toCreate)
        {
            var registration = StudentRegistration.Register(campaign, data, now);
            db.Registrations.Add(registration);
            db.AddIntegrationEvent(new StudentRegistered(
                registration.Id, campaign.Id, campaign.SchoolCode, registration.StudentNumber, registration.CollegeCode, registration.DegreeLevel, now));
            await FlushWhenFullAsync(2);
        }

        foreach (var (registration, data, fields) in toUpdate)
        {
            db.Registrations.Attach(registration);
            var history = registration.Update(data, caller.Actor, now);
            db.History.AddRange(history);
            db.AddIntegrationEvent(new StudentDataCorrected(registration.Id, campaign.Id, fields, now, registration.Snapshot()));
            await FlushWhenFullAsync(2 + history.Count);
        }

        // Remember the 已采集 marks (for valid ID numbers), so a later roster without the mark is still refused.
        var marks = markedCaptured
            .Select(l => (l.Student, Degree: DegreeLevels.Parse(l.Student.DegreeLevel), Id: IdDocumentValidator.Validate(IdDocumentType.Parse(l.Student.IdType) ?? "", l.Student.IdNumber)))
            .Where(m => m.Degree is not null && m.Id.IsValid)
            .DistinctBy(m => (m.Id.Number, m.Degree))
            .ToList();
        if (marks.Count > 0)
        {
            var ids = marks.Select(m => m.Id.Number!).ToList();
            var known = (await db.PriorCaptures.AsNoTracking().Where(p => p.SchoolCode == campaign.SchoolCode && ids.Contains(p.IdNumber)).Select(p => new { p.IdNumber, p.DegreeLevel }).ToListAsync(ct))
                .Select(p => (p.IdNumber, p.DegreeLevel)).ToHashSet();
            db.PriorCaptures.AddRange(marks
                .Where(m => !known.Contains((m.Id.Number!, m.Degree!)))
                .Select(m => PriorCapture.Record(m.Id.Number!, m.Degree!, campaign.SchoolCode, "roster", $"marked 已采集 in the {campaign.Cohort} roster", now)));
        }

        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>True when the exception is a duplicate key or a concurrent update: another import of the same students ran at the same time.</summary>
    public static bool IsConflict(Exception e) =>
        e is DbUpdateConcurrencyException
        || e is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } };

    private static RosterField FieldOf(string name) => name switch
    {
        "name" => RosterField.Name,
        "idType" => RosterField.IdType,
        "idNumber" => RosterField.IdNumber,
        "degreeLevel" => RosterField.DegreeLevel,
        "studyMode" => RosterField.StudyMode,
        "collegeCode" => RosterField.CollegeCode,
        "collegeName" => RosterField.CollegeName,
        "major" => RosterField.Major,
        "className" => RosterField.ClassName,
        "campus" => RosterField.Campus,
        _ => RosterField.Cohort,
    };
}
