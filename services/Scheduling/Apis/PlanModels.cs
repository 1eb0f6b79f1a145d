using System.ComponentModel.DataAnnotations;
using Capture.Scheduling.Domain;
using Capture.ServiceDefaults.Validation;

namespace Capture.Scheduling.Apis;

public sealed record DemandResponse(string CollegeCode, string CollegeName, string? Campus, int Headcount);

public sealed record ClassSlotResponse(string ClassName, string LocalStart, string LocalEnd, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record AllocationResponse(Guid Id, Guid SessionId, string CollegeCode, string CollegeName, int ExpectedHeadcount, int Part, IReadOnlyList<ClassSlotResponse> Classes);

public sealed record PlanSessionResponse(SessionResponse Session, string VenueName, string Building, string Room, string CampusName, int Allocated, IReadOnlyList<AllocationResponse> Allocations);

public sealed record UnplacedResponse(string CollegeCode, string? Campus, int Headcount, string Reason);

public sealed record PlanResponse(
    Guid CampaignId,
    string SchoolCode,
    bool Published,
    int Version,
    DateTimeOffset? PublishedAt,
    string Instructions,
    IReadOnlyList<PlanSessionResponse> Sessions,
    IReadOnlyList<UnplacedResponse> Unplaced);

public sealed record CreateAllocationRequest(
    Guid? SessionId,
    [PlainText(64)] string? CollegeCode,
    [Range(1, SessionLimits.MaxCapacity, ErrorMessage = SessionLimits.HeadcountMessage)] int ExpectedHeadcount);

public sealed record UpdateAllocationRequest(Guid? SessionId, [Range(1, SessionLimits.MaxCapacity, ErrorMessage = SessionLimits.HeadcountMessage)] int ExpectedHeadcount);

/// <summary>Class times (二次分配) inside the college's session window, Asia/Shanghai wall-clock.</summary>
public sealed record ClassSlotRequest([PlainText(128)] string? ClassName, TimeOnly? Start, TimeOnly? End);

public sealed record PublishPlanRequest([PlainText(2000, Multiline = true)] string? Instructions);
