using Capture.Contracts.Registration;

namespace Capture.Registration.Domain;

/// <summary>
/// A student in a campaign (报名): the data from the roster, the student's confirmation, the college's review and
/// the capture code (采集码). Unique per campaign by student number and by ID number.
/// </summary>
public sealed class StudentRegistration
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();

    public Guid CampaignId { get; private set; }

    public string SchoolCode { get; private set; } = "";

    public string StudentNumber { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string IdType { get; private set; } = IdDocumentType.ResidentId;

    public string IdNumber { get; private set; } = "";

    public string DegreeLevel { get; private set; } = "";

    public string StudyMode { get; private set; } = "";

    public string CollegeCode { get; private set; } = "";

    public string CollegeName { get; private set; } = "";

    public string? Major { get; private set; }

    public string? ClassName { get; private set; }

    public string? Campus { get; private set; }

    public string? Cohort { get; private set; }

    public string Status { get; private set; } = RegistrationStatus.Registered;

    public DateTimeOffset RegisteredAt { get; private set; }

    public DateTimeOffset? ConfirmedAt { get; private set; }

    public DateTimeOffset? ReviewedAt { get; private set; }

    public string? ReviewedBy { get; private set; }

    /// <summary>Why the college rejected, or why the school withdrew the registration.</summary>
    public string? StatusReason { get; private set; }

    /// <summary>The version of the current capture code; 0 before the first approval. Codes of lower versions are replaced.</summary>
    public int CaptureCodeVersion { get; private set; }

    /// <summary>Set when the current capture code was revoked (and not re-issued since).</summary>
    public DateTimeOffset? CaptureCodeRevokedAt { get; private set; }

    /// <summary>PostgreSQL's xmin: two concurrent reviews of one registration cannot both win.</summary>
    public uint Version { get; private set; }

    /// <summary>The data that links the photo to the diploma record, as it now is (for <see cref="StudentDataCorrected"/>).</summary>
    public StudentDataSnapshot Snapshot() => new(StudentNumber, Name, IdType, IdNumber, DegreeLevel, StudyMode, CollegeCode, CollegeName, ClassName, Campus);

    public static StudentRegistration Register(Campaign campaign, StudentData data, DateTimeOffset now)
    {
        var registration = new StudentRegistration { CampaignId = campaign.Id, SchoolCode = campaign.SchoolCode, RegisteredAt = now };
        registration.Set(data);
        return registration;
    }

    /// <summary>The fields that differ from a roster row (by roster field name), without changing anything.</summary>
    public List<string> Differences(StudentData data)
    {
        var changed = new List<string>();
        void Compare(string field, string? current, string? incoming)
        {
            if (!string.Equals(current, incoming, StringComparison.Ordinal))
            {
                changed.Add(field);
            }
        }

        Compare("name", Name, data.Name);
        Compare("idType", IdType, data.IdType);
        Compare("idNumber", IdNumber, data.IdNumber);
        Compare("degreeLevel", DegreeLevel, data.DegreeLevel);
        Compare("studyMode", StudyMode, data.StudyMode);
        Compare("collegeCode", CollegeCode, data.CollegeCode);
        Compare("collegeName", CollegeName, data.CollegeName);
        Compare("major", Major, data.Major);
        Compare("className", ClassName, data.ClassName);
        Compare("campus", Campus, data.Campus);
        Compare("cohort", Cohort, data.Cohort);
        return changed;
    }

    /// <summary>Takes the roster's data and returns the history of what changed.</summary>
    public List<HistoryEntry> Update(StudentData data, string by, DateTimeOffset now)
    {
        var entries = Differences(data).Select(f => HistoryEntry.Create(Id, f, Value(f), NewValue(data, f), by, "roster", now)).ToList();
        Set(data);
        return entries;
    }

    public string? Value(string field) => field switch
    {
        "name" => Name,
        "idType" => IdType,
        "idNumber" => IdNumber,
        "degreeLevel" => DegreeLevel,
        "studyMode" => StudyMode,
        "collegeCode" => CollegeCode,
        "collegeName" => CollegeName,
        "major" => Major,
        "className" => ClassName,
        "campus" => Campus,
        "cohort" => Cohort,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a registration field."),
    };

    /// <summary>Applies an approved correction and returns its history entries.</summary>
    public List<HistoryEntry> ApplyCorrection(Correction correction, string by, DateTimeOffset now)
    {
        var entries = new List<HistoryEntry>();
        void Change(string field, string? value, Action set)
        {
            if (!string.Equals(Value(field), value, StringComparison.Ordinal))
            {
                entries.Add(HistoryEntry.Create(Id, field, Value(field), value, by, "correction", now));
                set();
            }
        }

        switch (correction.Field)
        {
            case CorrectableField.Name:
                Change("name", correction.NewValue, () => Name = correction.NewValue);
                break;
            case CorrectableField.IdNumber:
                var type = correction.NewIdType ?? IdType;
                Change("idType", type, () => IdType = type);
                Change("idNumber", correction.NewValue, () => IdNumber = correction.NewValue);
                break;
            case CorrectableField.Major:
                Change("major", correction.NewValue, () => Major = correction.NewValue);
                break;
            case CorrectableField.ClassName:
                Change("className", correction.NewValue, () => ClassName = correction.NewValue);
                break;
            case CorrectableField.Campus:
                Change("campus", correction.NewValue, () => Campus = correction.NewValue);
                break;
        }

        return entries;
    }

    /// <summary>The student confirms the data is right. Why not, or null.</summary>
    public string? Confirm(DateTimeOffset now)
    {
        if (Status is RegistrationStatus.Withdrawn)
        {
            return "This registration was withdrawn: there is nothing to confirm.";
        }

        if (Status == RegistrationStatus.Registered)
        {
            Status = RegistrationStatus.Confirmed;
        }

        ConfirmedAt ??= now;
        return null;
    }

    /// <summary>The college approves. Returns (refusal, changed): approving an approved registration changes nothing.</summary>
    public (string? Refusal, bool Changed) Approve(string by, DateTimeOffset now)
    {
        switch (Status)
        {
            case RegistrationStatus.Approved:
                return (null, false);
            case RegistrationStatus.Withdrawn:
                return ("This registration was withdrawn and cannot be approved.", false);
        }

        Status = RegistrationStatus.Approved;
        ReviewedAt = now;
        ReviewedBy = by;
        StatusReason = null;
        if (CaptureCodeVersion == 0 || CaptureCodeRevokedAt is not null)
        {
            ReissueCaptureCode();
        }

        return (null, true);
    }

    /// <summary>The college rejects with a reason the student sees. Rejecting a rejected registration changes nothing.</summary>
    public (string? Refusal, bool Changed) Reject(string reason, string by, DateTimeOffset now)
    {
        switch (Status)
        {
            case RegistrationStatus.Rejected:
                return (null, false);
            case RegistrationStatus.Approved:
                return ("This registration is already approved: a school admin withdraws it instead (its capture code is then revoked).", false);
            case RegistrationStatus.Withdrawn:
                return ("This registration was withdrawn.", false);
        }

        Status = RegistrationStatus.Rejected;
        ReviewedAt = now;
        ReviewedBy = by;
        StatusReason = reason;
        return (null, true);
    }

    /// <summary>The school takes the registration out of the campaign; its capture code stops working.</summary>
    public bool Withdraw(string reason, string by, DateTimeOffset now)
    {
        if (Status == RegistrationStatus.Withdrawn)
        {
            return false;
        }

        Status = RegistrationStatus.Withdrawn;
        StatusReason = reason;
        ReviewedAt = now;
        ReviewedBy = by;
        if (CaptureCodeVersion > 0)
        {
            CaptureCodeRevokedAt ??= now;
        }

        return true;
    }

    public bool HasCaptureCode => Status == RegistrationStatus.Approved && CaptureCodeVersion > 0 && CaptureCodeRevokedAt is null;

    /// <summary>Stops the current capture code (a lost phone, a code shared by mistake). A new one is issued with <see cref="ReissueCaptureCode"/>.</summary>
    public void RevokeCaptureCode(DateTimeOffset now) => CaptureCodeRevokedAt ??= now;

    /// <summary>Issues a new capture code: every earlier one stops working.</summary>
    public void ReissueCaptureCode()
    {
        CaptureCodeVersion++;
        CaptureCodeRevokedAt = null;
    }

    private void Set(StudentData data)
    {
        StudentNumber = data.StudentNumber;
        Name = data.Name;
        IdType = data.IdType;
        IdNumber = data.IdNumber;
        DegreeLevel = data.DegreeLevel;
        StudyMode = data.StudyMode;
        CollegeCode = data.CollegeCode;
        CollegeName = data.CollegeName;
        Major = data.Major;
        ClassName = data.ClassName;
        Campus = data.Campus;
        Cohort = data.Cohort;
    }

    private static string? NewValue(StudentData data, string field) => field switch
    {
        "name" => data.Name,
        "idType" => data.IdType,
        "idNumber" => data.IdNumber,
        "degreeLevel" => data.DegreeLevel,
        "studyMode" => data.StudyMode,
        "collegeCode" => data.CollegeCode,
        "collegeName" => data.CollegeName,
        "major" => data.Major,
        "className" => data.ClassName,
        "campus" => data.Campus,
        "cohort" => data.Cohort,
        _ => null,
    };
}
