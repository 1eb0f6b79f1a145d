namespace Capture.Registration.Domain;

/// <summary>
/// A capture campaign (采集批次) of one school for one cohort: who is targeted, when students register, until when
/// their data may be corrected, the fee, and how long the verification window lasts.
/// </summary>
public sealed class Campaign
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();

    /// <summary>学校代码, e.g. 10730.</summary>
    public string SchoolCode { get; private set; } = "";

    public string SchoolName { get; private set; } = "";

    /// <summary>E.g. 2025届.</summary>
    public string Cohort { get; private set; } = "";

    public List<string> DegreeLevels { get; private set; } = [];

    public List<string> StudyModes { get; private set; } = [];

    public DateTimeOffset RegistrationOpensAt { get; private set; }

    public DateTimeOffset RegistrationClosesAt { get; private set; }

    /// <summary>After this instant the students' data is frozen: corrections are refused.</summary>
    public DateTimeOffset CorrectionDeadline { get; private set; }

    public long FeeFen { get; private set; }

    public int VerificationWindowDays { get; private set; }

    public string Status { get; private set; } = CampaignStatus.Draft;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Campaign Create(string schoolCode, CampaignTerms terms, DateTimeOffset now)
    {
        var campaign = new Campaign { SchoolCode = schoolCode, CreatedAt = now };
        campaign.Apply(terms, now);
        return campaign;
    }

    /// <summary>Errors by field (camelCase JSON names), empty when the terms are complete and consistent.</summary>
    public static Dictionary<string, string[]> Validate(CampaignTerms terms)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(terms.SchoolName))
        {
            Add("schoolName", "Give the school's name, e.g. 兰州大学.");
        }

        if (string.IsNullOrWhiteSpace(terms.Cohort))
        {
            Add("cohort", "Give the cohort, e.g. 2025届.");
        }

        if (terms.DegreeLevels is not { Count: > 0 } || terms.DegreeLevels.Any(d => Domain.DegreeLevels.Parse(d) is null))
        {
            Add("degreeLevels", $"Give one or more degree levels from: {Domain.DegreeLevels.Choices}.");
        }

        if (terms.StudyModes is not { Count: > 0 } || terms.StudyModes.Any(m => Domain.StudyModes.Parse(m) is null))
        {
            Add("studyModes", $"Give one or more study modes from: {Domain.StudyModes.Choices}.");
        }

        if (terms.RegistrationOpensAt is null)
        {
            Add("registrationOpensAt", "Give when registration opens (ISO 8601 with offset, e.g. 2025-10-09T08:00:00+08:00).");
        }

        if (terms.RegistrationClosesAt is null)
        {
            Add("registrationClosesAt", "Give when registration closes (ISO 8601 with offset).");
        }
        else if (terms.RegistrationOpensAt is { } opens && terms.RegistrationClosesAt <= opens)
        {
            Add("registrationClosesAt", "Registration must close after it opens.");
        }

        if (terms.CorrectionDeadline is null)
        {
            Add("correctionDeadline", "Give the data-correction deadline (ISO 8601 with offset); after it the students' data is frozen.");
        }
        else if (terms.RegistrationOpensAt is { } opens && terms.CorrectionDeadline <= opens)
        {
            Add("correctionDeadline", "The correction deadline must be after registration opens.");
        }

        if (terms.FeeFen is null or < 0 or > 1_000_000)
        {
            Add("feeFen", "Give the fee per student in fen (分), an integer from 0 to 1000000: 20 yuan is 2000.");
        }

        if (terms.VerificationWindowDays is null or < 1 or > 365)
        {
            Add("verificationWindowDays", "Give the verification window in days (1-365); about 40 is usual.");
        }

        return errors;
    }

    /// <summary>Replaces the terms (already validated). A closed campaign cannot change.</summary>
    public void Apply(CampaignTerms terms, DateTimeOffset now)
    {
        SchoolName = terms.SchoolName!.Trim();
        Cohort = terms.Cohort!.Trim();
        DegreeLevels = [.. terms.DegreeLevels!.Select(d => Domain.DegreeLevels.Parse(d)!).Distinct()];
        StudyModes = [.. terms.StudyModes!.Select(m => Domain.StudyModes.Parse(m)!).Distinct()];
        RegistrationOpensAt = terms.RegistrationOpensAt!.Value.ToUniversalTime();
        RegistrationClosesAt = terms.RegistrationClosesAt!.Value.ToUniversalTime();
        CorrectionDeadline = terms.CorrectionDeadline!.Value.ToUniversalTime();
        FeeFen = terms.FeeFen!.Value;
        VerificationWindowDays = terms.VerificationWindowDays!.Value;
        UpdatedAt = now;
    }

    /// <summary>Why the status change is refused, or null when it is done.</summary>
    public string? ChangeStatus(string target, DateTimeOffset now)
    {
        var allowed = (Status, target) switch
        {
            (CampaignStatus.Draft, CampaignStatus.Open) => true,
            (CampaignStatus.Open, CampaignStatus.Closed) => true,
            (CampaignStatus.Draft, CampaignStatus.Closed) => true,
            _ => false,
        };
        if (Status == target)
        {
            return null;
        }

        if (!allowed)
        {
            return $"A campaign goes draft → open → closed; this one is {Status} and cannot become {target}.";
        }

        Status = target;
        UpdatedAt = now;
        return null;
    }

    public bool IsClosed => Status == CampaignStatus.Closed;

    /// <summary>Why a correction may not be requested now, or null while the data is not yet frozen.</summary>
    public string? CorrectionRefusal(DateTimeOffset now) =>
        now > CorrectionDeadline
            ? $"The data of campaign {Cohort} was frozen on {ShanghaiTime.Display(CorrectionDeadline)} (the correction deadline): it can no longer be changed here. Contact the graduate school or academic affairs office."
            : null;

    /// <summary>Why a roster row with this degree level and study mode is outside the campaign, or null.</summary>
    public string? PopulationRefusal(string degreeLevel, string studyMode)
    {
        if (!DegreeLevels.Contains(degreeLevel))
        {
            return $"Campaign {Cohort} covers {string.Join(", ", DegreeLevels.Select(Domain.DegreeLevels.Chinese))} only, not {Domain.DegreeLevels.Chinese(degreeLevel)}.";
        }

        return StudyModes.Contains(studyMode) ? null : $"Campaign {Cohort} covers {string.Join(", ", StudyModes)} students only, not {studyMode}.";
    }
}
