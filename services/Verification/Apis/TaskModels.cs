using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Time;
using Capture.Verification.Domain;

namespace Capture.Verification.Apis;

/// <summary>The data exactly as it goes to CHSI (the ID number whole: the student must check every character).</summary>
public sealed record ExportedData(
    string SchoolCode,
    string StudentNumber,
    string Name,
    string IdType,
    string? IdNumber,
    string DegreeLevel,
    string StudyMode,
    string CollegeCode,
    string CollegeName);

/// <summary>A student's verification task as the student sees it.</summary>
public sealed record StudentTaskView(
    Guid TaskId,
    Guid CampaignId,
    string State,
    int Round,
    bool Withdrawn,
    DateTimeOffset? Deadline,
    string? DeadlineText,
    bool MayDecide,
    string? WhyNot,
    ExportedData? Data,
    string? ExportFileName,
    Guid? PhotoId,
    string? PhotoSha256,
    DateTimeOffset? PhotoAcceptedAt,
    DateTimeOffset? DecidedAt)
{
    public static StudentTaskView From(VerificationTask t, DateTimeOffset now)
    {
        var refusal = t.RefuseDecision(now, null);
        var data = t.Data;
        return new StudentTaskView(
            t.RegistrationId, t.CampaignId, t.State.Kebab(), t.Round, t.Withdrawn, t.Deadline?.ToShanghai(),
            t.Deadline is { } d ? ShanghaiTime.Display(d) : null, refusal is null, refusal?.Detail,
            data is null ? null : new ExportedData(t.SchoolCode, data.StudentNumber, data.StudentName, data.IdType, data.IdNumber, data.DegreeLevel, data.StudyMode, data.CollegeCode, data.CollegeName),
            ExportNaming.FileName(ExportNaming.IdNumber, data?.IdNumber, data?.StudentNumber),
            t.PhotoId, t.PhotoSha256, t.PhotoAcceptedAt?.ToShanghai(), t.DecidedAt?.ToShanghai());
    }
}

/// <summary>A task as a college or school sees it in lists (ID number masked).</summary>
public sealed record TaskSummary(
    Guid TaskId,
    string CollegeCode,
    string CollegeName,
    string? StudentNumber,
    string? Name,
    string? MaskedIdNumber,
    string? DegreeLevel,
    string State,
    int Round,
    bool Withdrawn,
    DateTimeOffset? Deadline,
    DateTimeOffset? DecidedAt)
{
    public static TaskSummary From(VerificationTask t) => new(
        t.RegistrationId, t.CollegeCode, t.CollegeName, t.StudentNumber, t.StudentName, PersonalData.MaskIdNumber(t.IdNumber), t.DegreeLevel,
        t.State.Kebab(), t.Round, t.Withdrawn, t.Deadline?.ToShanghai(), t.DecidedAt?.ToShanghai());
}

public sealed record HistoryView(int Round, string Kind, Guid? PhotoId, string? PhotoSha256, string? Fields, string? Comment, string Actor, DateTimeOffset At)
{
    public static HistoryView From(TaskHistoryEntry h) => new(h.Round, h.Kind, h.PhotoId, h.PhotoSha256, h.Fields, h.Comment, h.Actor, h.At.ToShanghai());
}

/// <summary>A task with its history, for the college or school acting on a dispute.</summary>
public sealed record TaskDetail(TaskSummary Task, IReadOnlyList<HistoryView> History);

/// <summary>A short-lived URL to a photo or an export (every one handed out is audited).</summary>
public sealed record PresignedUrl(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>Body of a confirmation: the round the student looked at (optional; a different round answers 409).</summary>
public sealed record ConfirmRequest(int? Round);

/// <summary>Body of a dispute: <c>kind</c> photo or data, the wrong <c>fields</c> (data), the student's <c>comment</c>.</summary>
public sealed record DisputeRequest(string? Kind, IReadOnlyList<string>? Fields, string? Comment, int? Round);
