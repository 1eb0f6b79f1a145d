using System.Security.Claims;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Security;
using Npgsql;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;

namespace Capture.Scheduling.Apis;

/// <summary>Capture-day check-in (004 §4.2): scan, check, issue a shoot number (拍摄号).</summary>
public static partial class CheckInApi
{
    /// <summary>How far before its start and after its end a session counts as "now" when the station does not name one.</summary>
    public static readonly TimeSpan CurrentSessionMargin = TimeSpan.FromMinutes(60);

    public static RouteGroupBuilder MapCheckInApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchedulingDbContext.RoutePrefix).WithTags("Check-in");
        group.MapPost("/stations/{stationId:guid}/check-ins", CheckInAsync).WithName("CheckIn")
            .WithSummary("Checks a student in at a station and issues a shoot number unique per station and day; a re-scan returns the same one. 201 new, 200 repeated, 409 refused (reason, and where the student belongs), 503 Registration unreachable for an unknown code.")
            .RequireRoles(CaptureRoles.StationOperator);
        return group;
    }

    private static async Task<Results<Created<CheckInResponse>, Ok<CheckInResponse>, ValidationProblem, ProblemHttpResult>> CheckInAsync(
        Guid stationId,
        CheckInRequest request,
        HttpContext http,
        CaptureCodeVerifier verifier,
        IMemoryCache cache,
        OutboxSignal signal,
        [AsParameters] SchedulingServices s,
        CancellationToken ct)
    {
        var user = http.User;
        // Stations do not change on capture day: one read a minute per station, not one per student.
        if (!cache.TryGetValue(("station", stationId), out Station? station))
        {
            station = await s.Db.Stations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == stationId, ct);
            if (station is not null)
            {
                cache.Set(("station", stationId), station, TimeSpan.FromMinutes(1));
            }
        }

        if (station is null)
        {
            return Problems.NotFound($"No station {stationId}.");
        }

        if (!user.RunsVenue(station.VenueId))
        {
            return Problems.Forbidden($"Station {station.Code} belongs to venue {station.VenueId}; your token is for venue {user.Venue()}. Check in at a station of your own venue.");
        }

        var hasCode = !string.IsNullOrWhiteSpace(request.CaptureCode);
        var hasNumber = !string.IsNullOrWhiteSpace(request.StudentNumber);
        if (hasCode == hasNumber)
        {
            return Problems.Invalid("captureCode", "Give exactly one of captureCode (the scanned QR text) or studentNumber (from the student card).");
        }

        if (hasCode && CaptureCodeSigner.ShapeProblem(request.CaptureCode) is { } malformed)
        {
            // Not a code at all: say so at once, without asking Registration (or answering 503 while it is away).
            return Problems.Invalid("captureCode", malformed);
        }

        var now = s.Time.GetUtcNow();
        var warnings = new List<string>();
        StudentKey student;
        if (hasCode)
        {
            var bearer = http.Request.Headers[HeaderNames.Authorization].ToString();
            bearer = bearer.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? bearer[7..] : bearer;
            var (resolved, answer) = await verifier.ResolveAsync(request.CaptureCode!, bearer, ct);
            if (resolved is null)
            {
                return answer.Outcome switch
                {
                    CaptureCodeOutcome.Revoked => Problems.Conflict(answer.Detail!, "code-revoked"),
                    CaptureCodeOutcome.Invalid => Problems.Invalid("captureCode", answer.Detail!),
                    _ => Problems.Unavailable($"{answer.Detail} This code was never verified here before, so it cannot be checked now: scan the student card (studentNumber) or retry in a moment."),
                };
            }

            if (resolved.FromLocalCopy)
            {
                warnings.Add($"Registration is unreachable: the code was accepted because Registration verified it at {resolved.VerifiedAt:u}. Check the student's face against their card.");
            }

            student = new StudentKey(resolved.RegistrationId, null);
        }
        else
        {
            student = new StudentKey(null, request.StudentNumber!.Trim());
            warnings.Add("Checked in by student card: compare the face with the card's photo.");
        }

        // The session, the student and everything the rules need, in one round trip (capture day is latency-bound).
        var known = await CheckInStore.LoadAsync(s.Db, station.VenueId, request.SessionId, student, now, CurrentSessionMargin, ct);
        if (known.Session is not { } session)
        {
            return request.SessionId is null
                ? Problems.Conflict("No session is open at this venue now; give sessionId, or ask the school admin for today's sessions.", "no-open-session")
                : Problems.Invalid("sessionId", "Give a session of this station's venue, or leave it out for the session running now.");
        }

        if (known.Registration is { } found && !CallerScope.SameSchool(found.SchoolCode, session.SchoolCode))
        {
            // Another school's student at this venue (a code verified here before, cached or stored, or an older
            // Registration that did not scope it): answered as an unknown code, so nothing about them is revealed.
            return Problems.Invalid("captureCode", RegistrationClient.UnknownCodeDetail);
        }

        if (known.Registration is not { IsActive: true } registration)
        {
            return Problems.Conflict("This student has no approved registration in Scheduling (not approved, withdrawn, or approval not arrived yet): send them to their college secretary.", "not-approved");
        }

        if (registration.CampaignId != session.CampaignId)
        {
            return Problems.Conflict("This student's registration belongs to another campaign than this session's.", "other-campaign");
        }

        if (known.Existing is { } existing)
        {
            return TypedResults.Ok(Response(existing, registration, station, repeated: true, [.. warnings, "Scanned before: same shoot number."]));
        }

        var facts = new CheckInFacts(
            Slot(session),
            registration.IsActive,
            registration.FeeFen,
            known.Paid,
            known.Photographed,
            session.Kind == SessionKind.Makeup && known.BookedHere,
            known.OwnSessions.Select(o => new SessionSlot(o.Id, o.Kind, o.StartsAt, o.EndsAt, o.Closed)).ToList(),
            request.OverrideReason);
        var decision = CheckInRules.Decide(facts);
        if (!decision.Admitted)
        {
            return await RefuseAsync(s.Db, decision.Refusal!.Value, known.OwnSessions, ct);
        }

        var checkIn = new CheckIn
        {
            Id = Guid.NewGuid(),
            RegistrationId = registration.RegistrationId,
            CampaignId = registration.CampaignId,
            SessionId = session.Id,
            StationId = station.Id,
            Day = ShanghaiTime.Today(session.StartsAt),
            ShootNumber = string.Empty,
            CheckedInAt = now,
            StatusChangedAt = now,
            Late = decision.Late,
            Status = CheckInStatus.CheckedIn,
            OverrideReason = decision.Overridden ? request.OverrideReason!.Trim() : null,
            OverriddenBy = decision.Overridden ? user.Subject() : null,
            OperatorSubject = user.Subject() ?? "unknown",
        };

        try
        {
            await CheckInStore.InsertAsync(s.Db, checkIn, station, registration.SchoolCode, signal, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The same student scanned at the same moment elsewhere: that scan won; answer with its shoot number.
            var winner = await s.Db.CheckIns.AsNoTracking().FirstAsync(c => c.RegistrationId == registration.RegistrationId && c.SessionId == session.Id, ct);
            return TypedResults.Ok(Response(winner, registration, station, repeated: true, [.. warnings, "Scanned before: same shoot number."]));
        }

        if (decision.Overridden)
        {
            LogOverride(s.Loggers.CreateLogger(typeof(CheckInApi).FullName!), checkIn.OverriddenBy ?? "unknown", registration.RegistrationId, session.Id, checkIn.ShootNumber, checkIn.OverrideReason!);
        }

        return TypedResults.Created(
            $"{SchedulingDbContext.RoutePrefix}/check-ins/{checkIn.Id}",
            Response(checkIn, registration, station, repeated: false, [.. warnings, .. decision.Warnings]));
    }

    private static async Task<ProblemHttpResult> RefuseAsync(SchedulingDbContext db, RefusalReason reason, IReadOnlyList<OwnSession> own, CancellationToken ct)
    {
        switch (reason)
        {
            case RefusalReason.WrongSession:
                var venueIds = own.Select(o => o.VenueId).Distinct().ToList();
                var venues = await db.Venues.AsNoTracking().Where(v => venueIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
                var belongs = own.OrderBy(o => o.StartsAt)
                    .Select(o => new BelongsTo(o.Id, ShanghaiTime.Today(o.StartsAt), PlanApi.Local(o.StartsAt), PlanApi.Local(o.EndsAt), $"{venues[o.VenueId].Name} ({venues[o.VenueId].Building} {venues[o.VenueId].Room})".Trim()))
                    .ToList();
                var where = string.Join("; ", belongs.Select(b => $"{b.Date:yyyy-MM-dd} {b.LocalStart}-{b.LocalEnd} at {b.Venue}"));
                return Problems.Conflict($"This student belongs to another session: {where}. Send them there, or admit them with overrideReason.", "wrong-session",
                    new Dictionary<string, object?> { ["belongsTo"] = belongs });
            case RefusalReason.NotScheduled:
                return Problems.Conflict("The student's college has no session in the plan. Admit them with overrideReason if the school agrees.", "not-scheduled");
            case RefusalReason.NoMakeupBooking:
                return Problems.Conflict("This is a makeup session and the student has no booking for it. Admit them with overrideReason if there is room.", "no-makeup-booking");
            case RefusalReason.Unpaid:
                return Problems.Conflict("The capture fee is not paid: no pay, no capture. The student pays first (the payment reaches the station within seconds).", "unpaid");
            case RefusalReason.AlreadyCaptured:
                return Problems.Conflict("This student was photographed already; a second capture for the same degree is not accepted. A re-capture needs a makeup booking.", "already-captured");
            case RefusalReason.SessionClosed:
                return Problems.Conflict("This session is closed; absent students book a makeup session.", "session-closed");
            default:
                return Problems.Conflict("This student has no approved registration.", "not-approved");
        }
    }

    private static SessionSlot Slot(Session x) => new(x.Id, x.Kind, x.StartsAt, x.EndsAt, x.ClosedAt is not null);


    private static CheckInResponse Response(CheckIn c, ApprovedRegistration r, Station station, bool repeated, IReadOnlyList<string> warnings) => new(
        c.Id, c.ShootNumber, repeated, r.RegistrationId, r.StudentName, r.StudentNumber, r.CollegeName, r.ClassName, r.MaskedIdNumber, r.DegreeLevel,
        c.SessionId, c.StationId, station.Id == c.StationId ? station.Code : c.ShootNumber.Split('-')[0], c.CheckedInAt, c.Late, c.OverrideReason is not null,
        c.Status.ToString(), warnings);

    [LoggerMessage(LogLevel.Warning, "Check-in override by {Operator}: registration {RegistrationId} admitted to session {SessionId} as {ShootNumber}; reason: {Reason}")]
    private static partial void LogOverride(ILogger logger, string @operator, Guid registrationId, Guid sessionId, string shootNumber, string reason);
}
