using System.Text.Json;

namespace Capture.Web.Infrastructure;

// The web's own copies of the parts of the services' responses its pages show (the services' OpenAPI documents are
// the contract; unknown fields are ignored, so a service may add fields without breaking a page).

public sealed record RegistrationView(
    Guid Id, Guid CampaignId, string SchoolCode, string StudentNumber, string Name, string IdType, string IdNumber,
    string DegreeLevel, string StudyMode, string CollegeCode, string CollegeName, string? Major, string? ClassName,
    string? Campus, string Status, string? StatusReason, DateTimeOffset? ConfirmedAt, bool HasCaptureCode);

public sealed record CorrectionView(Guid Id, string Field, string? NewValue, string Status, DateTimeOffset RequestedAt);

public sealed record MyRegistration(RegistrationView Registration, string Cohort, DateTimeOffset CorrectionDeadline, bool CorrectionsOpen, IReadOnlyList<CorrectionView> Corrections);

public sealed record CaptureCodeView(Guid RegistrationId, string Code, int Version);

public sealed record MySessionSlot(Guid SessionId, DateOnly Date, string LocalStart, string LocalEnd, string Venue, string Building, string Room, string Campus, string? ClassLocalStart, string? ClassLocalEnd);

public sealed record MyBooking(Guid BookingId, Guid MakeupSessionId, DateOnly Date, string LocalStart, string LocalEnd, string Venue);

public sealed record MySessionResponse(Guid RegistrationId, Guid CampaignId, string StudentName, string CollegeName, string? ClassName, int PlanVersion, IReadOnlyList<MySessionSlot> Sessions, string WhatToBring, MyBooking? MakeupBooking);

public sealed record MakeupOffer(Guid MakeupSessionId, DateOnly Date, string LocalStart, string LocalEnd, string Venue, int Capacity, int PlacesLeft);

public sealed record MyMakeupResponse(bool Eligible, string? Reason, MyBooking? Booking, IReadOnlyList<MakeupOffer> Sessions);

public sealed record FeeItem(string Name, long AmountFen);

public sealed record OrderView(Guid Id, Guid RegistrationId, Guid CampaignId, string StudentNumber, string StudentName, long AmountFen, string Currency, string Status, string? Method, string? VoucherNumber, DateTimeOffset? PaidAt, IReadOnlyList<FeeItem>? Items);

public sealed record OnlinePaymentView(Guid OrderId, string CodeUrl, long AmountFen, string Currency, string Provider);

public sealed record ExportedData(string SchoolCode, string StudentNumber, string Name, string IdType, string? IdNumber, string DegreeLevel, string StudyMode, string CollegeCode, string CollegeName);

public sealed record StudentTaskView(Guid TaskId, Guid CampaignId, string State, int Round, bool Withdrawn, DateTimeOffset? Deadline, string? DeadlineText, bool MayDecide, string? WhyNot, ExportedData? Data, string? ExportFileName, Guid? PhotoId, DateTimeOffset? DecidedAt);

public sealed record PresignedUrl(Uri Url, DateTimeOffset ExpiresAt);

public sealed record CheckInResponse(
    Guid CheckInId, string ShootNumber, bool Repeated, Guid RegistrationId, string StudentName, string StudentNumber, string CollegeName,
    string? ClassName, string MaskedIdNumber, string DegreeLevel, Guid SessionId, Guid StationId, string StationCode, DateTimeOffset CheckedInAt,
    bool Late, bool Overridden, string Status, IReadOnlyList<string> Warnings);

public sealed record QueueEntry(Guid CheckInId, string ShootNumber, string StudentName, string StudentNumber, string CollegeName, string? ClassName, string Status, bool Late, DateTimeOffset CheckedInAt);

public sealed record StationQueue(Guid StationId, string StationCode, Guid SessionId, int CheckedIn, int Called, int Photographed, int Absent, IReadOnlyList<QueueEntry> Entries);

public sealed record StationView(Guid Id, Guid VenueId, string Code, string Name, int ThroughputPerHour);

public sealed record VenueView(Guid Id, string SchoolCode, Guid CampusId, string Code, string Name, string Building, string Room);

public sealed record PhotoView(
    Guid Id, Guid StationId, string ShootNumber, int ShotIndex, bool Keyframe, string Status, Guid? RegistrationId, string? HeldReason,
    string Verdict, IReadOnlyList<string> FailedMeasures, string? RejectReason, JsonElement? Quality, bool Accepted, long SizeBytes,
    DateTimeOffset UploadedAt, DateTimeOffset? VerdictAt, Uri? PreviewUrl);

public sealed record CampaignView(Guid Id, string SchoolCode, string SchoolName, string Cohort, IReadOnlyList<string> DegreeLevels, DateTimeOffset RegistrationOpensAt, DateTimeOffset RegistrationClosesAt, DateTimeOffset CorrectionDeadline, long FeeFen, int VerificationWindowDays, string Status);

public sealed record OutboxStatus(int Pending, DateTimeOffset? OldestPendingCreatedAt, string? LastError);

public sealed record MinuteCount(DateTimeOffset Minute, int Count);

public sealed record StationActivity(
    Guid StationId, string StationCode, string StationName, Guid VenueId, string VenueName, string SchoolCode,
    int CheckedIn, int Waiting, int Photographed, int Absent, int Late, DateTimeOffset? LastCheckInAt, bool SessionRunning, DateTimeOffset? SessionEndsAt);

public sealed record CaptureDayActivity(DateOnly Day, DateTimeOffset At, IReadOnlyList<StationActivity> Stations, IReadOnlyList<MinuteCount> CheckInsPerMinute);

public sealed record StationPhotoCounts(
    Guid StationId, Guid VenueId, string SchoolCode, int Uploaded, int PendingBinding, int Held, int Standardising, int Passed, int Failed,
    int Rejected, int Accepted, IReadOnlyDictionary<string, int> FailedByMeasure, DateTimeOffset? OldestWaitingSince, DateTimeOffset? LastUploadAt,
    double? VerdictSecondsMedian, double? VerdictSecondsP95);

public sealed record CapturePhotoSummary(DateOnly Day, IReadOnlyList<StationPhotoCounts> Stations, double? OldestWaitingSeconds, IReadOnlyList<MinuteCount>? PhotosPerMinute);

public sealed record RowError(int Line, string? StudentNumber, string Field, string Message);

public sealed record RosterImportReport(bool Imported, int Received, int Created, int Updated, int Unchanged, int Refused, IReadOnlyList<RowError>? Errors);

public sealed record RegistrationListItem(Guid Id, string StudentNumber, string Name, string IdNumber, string DegreeLevel, string CollegeName, string? ClassName, string Status, DateTimeOffset? ConfirmedAt);

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record BulkReviewReport(int Approved, int Rejected, int Unchanged, int Refused);

// School admin and college pages (Components/Admin): campaigns, places, the session plan, payments, verification, exports.

public sealed record AdminCampaignView(Guid Id, string SchoolCode, string SchoolName, string Cohort, IReadOnlyList<string> DegreeLevels, IReadOnlyList<string> StudyModes, DateTimeOffset RegistrationOpensAt, DateTimeOffset RegistrationClosesAt, DateTimeOffset CorrectionDeadline, long FeeFen, int VerificationWindowDays, string Status);

public sealed record CampusView(Guid Id, string SchoolCode, string Code, string Name);

public sealed record CaptureDayView(Guid Id, Guid CampaignId, Guid CampusId, DateOnly Date);

public sealed record SessionView(Guid Id, Guid CampaignId, Guid CaptureDayId, Guid VenueId, string Kind, DateOnly Date, string LocalStart, string LocalEnd, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity, int Booked, DateTimeOffset? ClosedAt);

public sealed record DemandView(string CollegeCode, string CollegeName, string? Campus, int Headcount);

public sealed record ClassSlotView(string ClassName, string LocalStart, string LocalEnd, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record AllocationView(Guid Id, Guid SessionId, string CollegeCode, string CollegeName, int ExpectedHeadcount, int Part, IReadOnlyList<ClassSlotView> Classes);

public sealed record PlanSessionView(SessionView Session, string VenueName, string Building, string Room, string CampusName, int Allocated, IReadOnlyList<AllocationView> Allocations);

public sealed record UnplacedView(string CollegeCode, string? Campus, int Headcount, string Reason);

public sealed record PlanView(Guid CampaignId, string SchoolCode, bool Published, int Version, DateTimeOffset? PublishedAt, string Instructions, IReadOnlyList<PlanSessionView> Sessions, IReadOnlyList<UnplacedView> Unplaced);

public sealed record StaffOrderView(Guid Id, Guid RegistrationId, Guid CampaignId, string CollegeCode, string CollegeName, string? ClassName, string StudentNumber, string StudentName, long AmountFen, string Status, string? Method, string? VoucherNumber, DateTimeOffset? PaidAt, DateTimeOffset? RefundedAt, string? WaiverReason);

public sealed record RemittanceView(Guid Id, Guid CampaignId, string SchoolCode, string CollegeCode, string Status, int Count, long TotalFen, long? ReceivedFen, DateTimeOffset OpenedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? ConfirmedAt);

public sealed record CashRecorded(Guid RemittanceId, IReadOnlyList<StaffOrderView> Orders, long TotalFen);

public sealed record DailyReconciliationRow(DateOnly Day, string Method, string CollegeCode, int Payments, long ExpectedFen, long ReceivedFen, long RefundedFen);

public sealed record VerificationCollegeCounts(string CollegeCode, string CollegeName, int AwaitingPhoto, int Open, int Confirmed, int DisputedPhoto, int DisputedData, int ExpiredUnverified, int Withdrawn, int Total);

public sealed record VerificationTaskSummary(Guid TaskId, string CollegeCode, string CollegeName, string? StudentNumber, string? Name, string? MaskedIdNumber, string? DegreeLevel, string State, int Round, bool Withdrawn, DateTimeOffset? Deadline, DateTimeOffset? DecidedAt);

public sealed record ExportProblemView(Guid RegistrationId, string StudentNumber, string CollegeCode, string Kind, string Detail);

public sealed record ExportBatchView(Guid BatchId, Guid CampaignId, string SchoolCode, string? CollegeCode, string Naming, bool IncludeExpiredUnverified, string State, string RequestedBy, DateTimeOffset RequestedAt, DateTimeOffset? FinishedAt, string? Sha256, long SizeBytes, int PhotoCount, int ProblemCount, string? Failure, int Attempts, IReadOnlyList<ExportProblemView>? Problems);

public sealed record CardBatchResult(int Deducted, int Failed, int AlreadyApplied);

public sealed record CardRefundBatchResult(int Refunded, int Failed);
