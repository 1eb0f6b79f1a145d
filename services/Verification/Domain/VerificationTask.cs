using Capture.ServiceDefaults.Time;

namespace Capture.Verification.Domain;

/// <summary>
/// A student's verification (校对) of one registration: the accepted standardised photo and the data that go to CHSI,
/// the deadline, and the one decision of the current round. A round starts when a photo is accepted, and again when a
/// retake replaces the photo or a correction changes the data; <see cref="TaskHistoryEntry"/> keeps every round.
/// Keyed by the registration id (one task per registration).
/// </summary>
public sealed class VerificationTask
{
    public Guid RegistrationId { get; private set; }

    public Guid CampaignId { get; private set; }

    public string SchoolCode { get; private set; } = "";

    public string CollegeCode { get; private set; } = "";

    public string CollegeName { get; private set; } = "";

    /// <summary>Null until Registration's approval has arrived (events from two services arrive in any order).</summary>
    public string? StudentNumber { get; private set; }

    public string? StudentName { get; private set; }

    public string? IdType { get; private set; }

    /// <summary>Whole ID number (personal data: shown to the student and the school, never logged, masked in lists).</summary>
    public string? IdNumber { get; private set; }

    public string? DegreeLevel { get; private set; }

    public string? StudyMode { get; private set; }

    /// <summary>The campaign's verification window in days (from RegistrationApproved); null: the service default.</summary>
    public int? WindowDays { get; private set; }

    public Guid? PhotoId { get; private set; }

    public string? PhotoKey { get; private set; }

    public string? PhotoSha256 { get; private set; }

    public DateTimeOffset? PhotoAcceptedAt { get; private set; }

    public TaskState State { get; private set; } = TaskState.AwaitingPhoto;

    /// <summary>1 for the first photo; grows with each retake or data correction that reopens the task.</summary>
    public int Round { get; private set; }

    public DateTimeOffset? OpenedAt { get; private set; }

    public DateTimeOffset? Deadline { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public bool Withdrawn { get; private set; }

    public DateTimeOffset? WithdrawnAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>PostgreSQL's xmin: two decisions at the same moment cannot both win.</summary>
    public uint Version { get; private set; }

    public bool HasData => StudentNumber is not null;

    public StudentData? Data => HasData
        ? new StudentData(StudentNumber!, StudentName ?? "", IdType ?? "", IdNumber, DegreeLevel ?? "", StudyMode ?? "", CollegeCode, CollegeName)
        : null;

    public static VerificationTask Create(Guid registrationId, Guid campaignId, string schoolCode, DateTimeOffset now) => new()
    {
        RegistrationId = registrationId,
        CampaignId = campaignId,
        SchoolCode = schoolCode.Length > Limits.SchoolCode ? schoolCode[..Limits.SchoolCode] : schoolCode,
        UpdatedAt = now,
    };

    /// <summary>
    /// Registration's data arrived or changed. Returns the changed fields; a change of what goes to CHSI after the
    /// student has seen it (open, decided or expired; not while a photo dispute waits for the retake) starts a new round.
    /// </summary>
    public IReadOnlyList<string> LearnData(StudentData data, int? windowDays, int defaultWindowDays, DateTimeOffset now)
    {
        data = data.Fitted();
        var before = Data;
        if (before is not null && data.IdNumber is null)
        {
            data = data with { IdNumber = before.IdNumber }; // an older publisher's event without the number keeps ours
        }

        var changed = StudentData.Changed(before, data);
        StudentNumber = data.StudentNumber;
        StudentName = data.StudentName;
        IdType = data.IdType;
        IdNumber = data.IdNumber;
        DegreeLevel = data.DegreeLevel;
        StudyMode = data.StudyMode;
        CollegeCode = data.CollegeCode;
        CollegeName = data.CollegeName;
        if (windowDays is >= 1 and <= 365)
        {
            WindowDays = windowDays;
        }

        UpdatedAt = now;
        if (before is null)
        {
            // The first data for a task whose photo came first: the deadline follows the campaign's window.
            if (State == TaskState.Open && PhotoAcceptedAt is { } accepted)
            {
                Deadline = VerificationWindow.Deadline(accepted, WindowDays ?? defaultWindowDays);
            }

            return changed;
        }

        if (changed.Count > 0 && State is TaskState.Open or TaskState.Confirmed or TaskState.DisputedData or TaskState.ExpiredUnverified)
        {
            Reopen(now, WindowDays ?? defaultWindowDays);
        }

        return changed;
    }

    /// <summary>
    /// A photo was accepted for this registration. The newest (by acceptance time) wins: a later one is a retake and
    /// opens a new round; an older or repeated one changes nothing (returns false).
    /// </summary>
    public bool AcceptPhoto(Guid photoId, string objectKey, string sha256, DateTimeOffset acceptedAt, int defaultWindowDays, DateTimeOffset now)
    {
        if (PhotoId == photoId || (PhotoAcceptedAt is { } current && acceptedAt <= current))
        {
            return false;
        }

        PhotoId = photoId;
        PhotoKey = objectKey;
        PhotoSha256 = sha256.ToLowerInvariant();
        PhotoAcceptedAt = acceptedAt;
        Round++;
        State = TaskState.Open;
        OpenedAt = now;
        Deadline = VerificationWindow.Deadline(acceptedAt > now ? now : acceptedAt, WindowDays ?? defaultWindowDays);
        DecidedAt = null;
        UpdatedAt = now;
        return true;
    }

    /// <summary>Why the student cannot decide now (reason code, what to tell them), or null.</summary>
    public (string Reason, string Detail)? RefuseDecision(DateTimeOffset now, int? expectedRound)
    {
        if (Withdrawn)
        {
            return ("withdrawn", "This registration was withdrawn from the campaign: there is nothing to verify. Ask your college.");
        }

        if (expectedRound is { } r && r != Round)
        {
            return ("changed", $"Your photo or data changed since you looked (round {r}, now {Round}): look again, then decide.");
        }

        return State switch
        {
            TaskState.AwaitingPhoto => ("no-photo", "No photo of yours has been accepted yet: there is nothing to verify."),
            TaskState.Confirmed => ("already-confirmed", $"You confirmed on {ShanghaiTime.Display(DecidedAt!.Value)}; a confirmation is final."),
            TaskState.DisputedPhoto => ("already-disputed", "You reported that the photo is wrong: book a makeup capture; you will verify the new photo."),
            TaskState.DisputedData => ("already-disputed", "You reported that your data is wrong: once your college corrects it you will verify the new data."),
            TaskState.ExpiredUnverified => ("window-closed", $"Verification closed on {ShanghaiTime.Display(Deadline!.Value)}; ask your college what happens now."),
            _ when Deadline is { } d && now >= d => ("window-closed", $"Verification closed on {ShanghaiTime.Display(d)}; ask your college what happens now."),
            _ when !HasData => ("no-data", "Your registration data has not reached verification yet: try again in a few minutes."),
            _ => null,
        };
    }

    public void Confirm(DateTimeOffset now)
    {
        State = TaskState.Confirmed;
        DecidedAt = now;
        UpdatedAt = now;
    }

    public void Dispute(bool photo, DateTimeOffset now)
    {
        State = photo ? TaskState.DisputedPhoto : TaskState.DisputedData;
        DecidedAt = now;
        UpdatedAt = now;
    }

    public bool Expire(DateTimeOffset now)
    {
        if (State != TaskState.Open || Withdrawn || Deadline is not { } d || now < d)
        {
            return false;
        }

        State = TaskState.ExpiredUnverified;
        UpdatedAt = now;
        return true;
    }

    public bool Withdraw(DateTimeOffset at, DateTimeOffset now)
    {
        if (Withdrawn)
        {
            return false;
        }

        Withdrawn = true;
        WithdrawnAt = at;
        UpdatedAt = now;
        return true;
    }

    /// <summary>
    /// The school rejected the correction the student's data dispute asked for: the data stands, and the student
    /// verifies it again in a new round (confirm, or dispute once more). Returns false when the task is not waiting for
    /// that answer (a correction applied meanwhile already reopened it; a repeated event).
    /// </summary>
    public bool CorrectionRejected(DateTimeOffset now, int defaultWindowDays)
    {
        if (State != TaskState.DisputedData || Withdrawn)
        {
            return false;
        }

        Reopen(now, WindowDays ?? defaultWindowDays);
        UpdatedAt = now;
        return State == TaskState.Open;
    }

    private void Reopen(DateTimeOffset now, int windowDays)
    {
        if (PhotoId is null)
        {
            return;
        }

        Round++;
        State = TaskState.Open;
        OpenedAt = now;
        Deadline = VerificationWindow.Deadline(now, windowDays);
        DecidedAt = null;
    }
}
