using Capture.Registration.Domain;

namespace Capture.Registration.Tests.Domain;

public sealed class EligibilityAndCorrectionTests
{
    private static readonly DateTimeOffset Now = new(2025, 10, 20, 2, 0, 0, TimeSpan.Zero);

    private static StudentData Student(string degree, bool captured = false, string id = "11010519491231002X") =>
        new("2025001", "王伟", IdDocumentType.ResidentId, id, degree, StudyModes.FullTime, "law", "法学院", null, null, null, null, captured);

    [Fact]
    public void A_student_already_captured_for_the_same_degree_level_is_refused_with_the_reason()
    {
        var earlier = PriorCapture.Record("11010519491231002X", DegreeLevels.Master, "10730", "reported", "2022届", Now);
        var reason = Eligibility.Refusal(Student(DegreeLevels.Master), [earlier]);
        Assert.NotNull(reason);
        Assert.Contains("already has a capture for 硕士", reason, StringComparison.Ordinal);
        Assert.Contains("2022届", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_master_going_on_to_a_phd_is_eligible_again() =>
        Assert.Null(Eligibility.Refusal(Student(DegreeLevels.Doctoral), [PriorCapture.Record("11010519491231002X", DegreeLevels.Master, "10730", "reported", null, Now)]));

    [Fact]
    public void An_earlier_cohort_student_without_a_capture_is_eligible() =>
        Assert.Null(Eligibility.Refusal(Student(DegreeLevels.Master) with { Cohort = "2023届" }, []));

    [Fact]
    public void A_roster_row_marked_as_captured_is_refused() =>
        Assert.Contains("已采集", Eligibility.Refusal(Student(DegreeLevels.Master, captured: true), []), StringComparison.Ordinal);

    [Fact]
    public void Another_students_capture_does_not_refuse_this_one() =>
        Assert.Null(Eligibility.Refusal(Student(DegreeLevels.Master), [PriorCapture.Record("110105194912310011", DegreeLevels.Master, "10730", "reported", null, Now)]));

    private static Campaign CampaignWithDeadline(DateTimeOffset deadline) => Campaign.Create("10730", new CampaignTerms(
        "兰州大学", "2025届", ["硕士"], ["全日制"], deadline.AddDays(-30), deadline.AddDays(10), deadline, 2000, 40), Now);

    [Fact]
    public void Corrections_before_the_deadline_are_allowed_and_after_it_refused_with_the_date_in_beijing_time()
    {
        var deadline = new DateTimeOffset(2025, 10, 26, 16, 0, 0, TimeSpan.Zero); // 2025-10-27 00:00 in Beijing
        var campaign = CampaignWithDeadline(deadline);
        Assert.Null(campaign.CorrectionRefusal(deadline.AddMinutes(-1)));
        var refusal = campaign.CorrectionRefusal(deadline.AddMinutes(1));
        Assert.NotNull(refusal);
        Assert.Contains("2025-10-27 00:00 (Beijing time)", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Campaign_terms_are_validated_field_by_field()
    {
        var errors = Campaign.Validate(new CampaignTerms("", "2025届", ["研究生"], ["全日制"], Now, Now.AddDays(-1), Now.AddDays(5), -1, 0));
        Assert.Equal(new[] { "schoolName", "degreeLevels", "registrationClosesAt", "feeFen", "verificationWindowDays" }.Order(), errors.Keys.Order());
    }

    [Fact]
    public void Campaign_status_goes_draft_open_closed_only()
    {
        var campaign = CampaignWithDeadline(Now.AddDays(5));
        Assert.Null(campaign.ChangeStatus(CampaignStatus.Draft, Now));
        Assert.Null(campaign.ChangeStatus(CampaignStatus.Open, Now));
        Assert.Null(campaign.ChangeStatus(CampaignStatus.Closed, Now));
        Assert.NotNull(campaign.ChangeStatus(CampaignStatus.Open, Now));
    }

    [Fact]
    public void Approving_twice_changes_once_and_a_name_correction_is_audited()
    {
        var campaign = CampaignWithDeadline(Now.AddDays(5));
        var r = StudentRegistration.Register(campaign, Student(DegreeLevels.Master), Now);
        Assert.Equal((null, true), r.Approve("college-staff:a", Now));
        Assert.Equal((null, false), r.Approve("college-staff:a", Now));
        Assert.Equal(1, r.CaptureCodeVersion);

        var correction = Correction.Request(r, CorrectableField.Name, null, "王伟伟", "typo", "doc-1", "student:2025001", Now);
        var history = r.ApplyCorrection(correction, "school-admin:b", Now);
        var entry = Assert.Single(history);
        Assert.Equal(("name", "王伟", "王伟伟", "school-admin:b"), (entry.Field, entry.OldValue, entry.NewValue, entry.ChangedBy));
        Assert.Equal("王伟伟", r.Name);
    }
}
