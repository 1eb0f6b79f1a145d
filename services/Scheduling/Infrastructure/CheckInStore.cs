using System.Text.Json;
using Capture.Contracts.Scheduling;
using Capture.Scheduling.Domain;
using Capture.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Capture.Scheduling.Infrastructure;

/// <summary>A session the student's college is allocated to (check-in rules and the wrong-session answer).</summary>
public sealed record OwnSession(Guid Id, SessionKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Closed, Guid VenueId);

/// <summary>Everything check-in decides on, read in one round trip. <see cref="Session"/> is null when no session matched.</summary>
public sealed record CheckInSnapshot(
    Session? Session,
    ApprovedRegistration? Registration,
    CheckIn? Existing,
    bool Paid,
    bool Photographed,
    bool BookedHere,
    IReadOnlyList<OwnSession> OwnSessions);

/// <summary>Who the student at the station is: a registration already resolved from a capture code, or a student number from the card.</summary>
public readonly record struct StudentKey(Guid? RegistrationId, string? StudentNumber);

/// <summary>
/// The check-in's two statements. Capture day is latency-bound (a queue at every camera, hundreds of scans a minute
/// across a venue), so this path talks to PostgreSQL directly: one query reads everything the rules need, and one
/// statement takes the station's next running number, writes the check-in and writes its StudentCheckedIn event to
/// the outbox, all or nothing. Through EF Core the same work took seven round trips and most of the service's CPU
/// (docs/benchmarks.md). The rest of the service uses EF Core; the table and column names are EF Core's (snake_case).
/// </summary>
public static class CheckInStore
{
    private const string SessionColumns = "id, campaign_id, school_code, capture_day_id, venue_id, kind, starts_at, ends_at, capacity, booked, closed_at";

    private const string SessionById =
        $"SELECT {SessionColumns} FROM scheduling.sessions WHERE id = @session AND venue_id = @venue";

    // The session running now at the venue, else the nearest one starting or ending within the margin.
    private const string SessionNow =
        $"SELECT {SessionColumns} FROM scheduling.sessions "
        + "WHERE venue_id = @venue AND closed_at IS NULL AND starts_at <= @now + @margin AND ends_at >= @now - @margin "
        + "ORDER BY (starts_at <= @now AND @now < ends_at) DESC, abs(extract(epoch FROM starts_at - @now)) LIMIT 1";

    private const string RegistrationColumns =
        "reg.registration_id, reg.campaign_id, reg.school_code, reg.college_code, reg.college_name, reg.class_name, reg.student_number, "
        + "reg.student_name, reg.masked_id_number, reg.degree_level, reg.campus, reg.fee_fen, reg.approved_at, reg.withdrawn_at";

    private const string RegistrationById =
        $"SELECT {RegistrationColumns} FROM scheduling.registrations reg WHERE reg.registration_id = @registration";

    private const string RegistrationByNumber =
        $"SELECT {RegistrationColumns} FROM scheduling.registrations reg JOIN s ON reg.school_code = s.school_code AND reg.campaign_id = s.campaign_id "
        + "WHERE reg.student_number = @number AND reg.approved_at IS NOT NULL AND (reg.withdrawn_at IS NULL OR reg.withdrawn_at < reg.approved_at) LIMIT 1";

    private const string Facts =
        "SELECT s.id, s.campaign_id, s.school_code, s.capture_day_id, s.venue_id, s.kind, s.starts_at, s.ends_at, s.capacity, s.booked, s.closed_at, "
        + "r.registration_id, r.campaign_id, r.school_code, r.college_code, r.college_name, r.class_name, r.student_number, "
        + "r.student_name, r.masked_id_number, r.degree_level, r.campus, r.fee_fen, r.approved_at, r.withdrawn_at, "
        + "e.id, e.station_id, e.day, e.sequence, e.shoot_number, e.checked_in_at, e.late, e.status, e.status_changed_at, e.override_reason, e.overridden_by, e.operator_subject, "
        + "EXISTS (SELECT 1 FROM scheduling.payments p WHERE p.registration_id = r.registration_id AND p.paid_at IS NOT NULL AND p.refunded_at IS NULL), "
        + "EXISTS (SELECT 1 FROM scheduling.check_ins c WHERE c.registration_id = r.registration_id AND c.status = 'Photographed'), "
        + "EXISTS (SELECT 1 FROM scheduling.makeup_bookings b WHERE b.registration_id = r.registration_id AND b.makeup_session_id = s.id AND b.cancelled_at IS NULL), "
        + "o.ids, o.kinds, o.starts, o.ends, o.closed, o.venues "
        + "FROM s LEFT JOIN r ON true "
        + "LEFT JOIN scheduling.check_ins e ON e.registration_id = r.registration_id AND e.session_id = s.id "
        + "LEFT JOIN LATERAL (SELECT array_agg(x.id ORDER BY x.starts_at) AS ids, array_agg(x.kind ORDER BY x.starts_at) AS kinds, "
        + "array_agg(x.starts_at ORDER BY x.starts_at) AS starts, array_agg(x.ends_at ORDER BY x.starts_at) AS ends, "
        + "array_agg(x.closed_at IS NOT NULL ORDER BY x.starts_at) AS closed, array_agg(x.venue_id ORDER BY x.starts_at) AS venues "
        + "FROM scheduling.allocations a JOIN scheduling.sessions x ON x.id = a.session_id "
        + "WHERE a.campaign_id = r.campaign_id AND a.college_code = r.college_code) o ON true";

    // One text per way in, so each is prepared once with a plan that uses its indexes.
    private static readonly string[] Reads =
    [
        $"WITH s AS ({SessionById}), r AS ({RegistrationById}) {Facts}",
        $"WITH s AS ({SessionById}), r AS ({RegistrationByNumber}) {Facts}",
        $"WITH s AS ({SessionNow}), r AS ({RegistrationById}) {Facts}",
        $"WITH s AS ({SessionNow}), r AS ({RegistrationByNumber}) {Facts}",
    ];

    private static readonly string ShootNumberProperty = JsonNamingPolicy.CamelCase.ConvertName(nameof(StudentCheckedIn.ShootNumber));

    // The shoot number is formatted here exactly as ShootNumber.Format does ("B2-0137": at least four digits).
    private static readonly string Write =
        "WITH n AS (INSERT INTO scheduling.station_day_counters AS k (station_id, day, last_sequence) VALUES (@station, @day, 1) "
        + "ON CONFLICT (station_id, day) DO UPDATE SET last_sequence = k.last_sequence + 1 RETURNING last_sequence), "
        + "c AS (INSERT INTO scheduling.check_ins (id, registration_id, campaign_id, session_id, station_id, day, sequence, shoot_number, "
        + "checked_in_at, status_changed_at, late, status, override_reason, overridden_by, operator_subject) "
        + "SELECT @id, @registration, @campaign, @session, @station, @day, n.last_sequence, "
        + "@code || '-' || lpad(n.last_sequence::text, greatest(4, length(n.last_sequence::text)), '0'), "
        + "@now, @now, @late, @status, @reason, @by, @operator FROM n RETURNING sequence, shoot_number), "
        + "o AS (INSERT INTO scheduling.outbox_messages (id, message_type, body, destination, correlation_id, trace_parent, created_at, attempts) "
        + $"SELECT @message, @type, jsonb_set(@body::jsonb, '{{{ShootNumberProperty}}}', to_jsonb(c.shoot_number)), NULL, @correlation, @trace, @created, 0 FROM c) "
        + "SELECT sequence, shoot_number FROM c";

    /// <summary>Reads the session (the given one at this venue, or the one running now), the student and every fact the rules need.</summary>
    public static async Task<CheckInSnapshot> LoadAsync(
        SchedulingDbContext db, Guid venueId, Guid? sessionId, StudentKey student, DateTimeOffset now, TimeSpan margin, CancellationToken ct)
    {
        var byNumber = student.RegistrationId is null;
        var text = Reads[(sessionId is null ? 2 : 0) + (byNumber ? 1 : 0)];
        return await WithConnectionAsync(db, async connection =>
        {
            await using var command = new NpgsqlCommand(text, connection);
            command.Parameters.Add(new NpgsqlParameter<Guid>("venue", venueId));
            if (sessionId is { } id)
            {
                command.Parameters.Add(new NpgsqlParameter<Guid>("session", id));
            }
            else
            {
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now.ToUniversalTime()));
                command.Parameters.Add(new NpgsqlParameter<TimeSpan>("margin", NpgsqlDbType.Interval) { TypedValue = margin });
            }

            if (byNumber)
            {
                command.Parameters.Add(new NpgsqlParameter<string>("number", student.StudentNumber ?? string.Empty));
            }
            else
            {
                command.Parameters.Add(new NpgsqlParameter<Guid>("registration", student.RegistrationId!.Value));
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return new CheckInSnapshot(null, null, null, false, false, false, []);
            }

            var session = new Session
            {
                Id = reader.GetGuid(0),
                CampaignId = reader.GetGuid(1),
                SchoolCode = reader.GetString(2),
                CaptureDayId = reader.GetGuid(3),
                VenueId = reader.GetGuid(4),
                Kind = Enum.Parse<SessionKind>(reader.GetString(5)),
                StartsAt = reader.GetFieldValue<DateTimeOffset>(6),
                EndsAt = reader.GetFieldValue<DateTimeOffset>(7),
                Capacity = reader.IsDBNull(8) ? null : reader.GetInt32(8),
                Booked = reader.GetInt32(9),
                ClosedAt = NullableTime(reader, 10),
            };
            var registration = reader.IsDBNull(11) ? null : new ApprovedRegistration
            {
                RegistrationId = reader.GetGuid(11),
                CampaignId = reader.GetGuid(12),
                SchoolCode = reader.GetString(13),
                CollegeCode = reader.GetString(14),
                CollegeName = reader.GetString(15),
                ClassName = NullableString(reader, 16),
                StudentNumber = reader.GetString(17),
                StudentName = reader.GetString(18),
                MaskedIdNumber = reader.GetString(19),
                DegreeLevel = reader.GetString(20),
                Campus = NullableString(reader, 21),
                FeeFen = reader.GetInt64(22),
                ApprovedAt = NullableTime(reader, 23),
                WithdrawnAt = NullableTime(reader, 24),
            };
            var existing = reader.IsDBNull(25) ? null : new CheckIn
            {
                Id = reader.GetGuid(25),
                RegistrationId = registration!.RegistrationId,
                CampaignId = session.CampaignId,
                SessionId = session.Id,
                StationId = reader.GetGuid(26),
                Day = reader.GetFieldValue<DateOnly>(27),
                Sequence = reader.GetInt32(28),
                ShootNumber = reader.GetString(29),
                CheckedInAt = reader.GetFieldValue<DateTimeOffset>(30),
                Late = reader.GetBoolean(31),
                Status = Enum.Parse<CheckInStatus>(reader.GetString(32)),
                StatusChangedAt = reader.GetFieldValue<DateTimeOffset>(33),
                OverrideReason = NullableString(reader, 34),
                OverriddenBy = NullableString(reader, 35),
                OperatorSubject = reader.GetString(36),
            };
            var own = new List<OwnSession>();
            if (!reader.IsDBNull(40))
            {
                var ids = reader.GetFieldValue<Guid[]>(40);
                var kinds = reader.GetFieldValue<string[]>(41);
                var starts = reader.GetFieldValue<DateTimeOffset[]>(42);
                var ends = reader.GetFieldValue<DateTimeOffset[]>(43);
                var closed = reader.GetFieldValue<bool[]>(44);
                var venues = reader.GetFieldValue<Guid[]>(45);
                for (var i = 0; i < ids.Length; i++)
                {
                    own.Add(new OwnSession(ids[i], Enum.Parse<SessionKind>(kinds[i]), starts[i], ends[i], closed[i], venues[i]));
                }
            }

            return new CheckInSnapshot(session, registration, existing, reader.GetBoolean(37), reader.GetBoolean(38), reader.GetBoolean(39), own);
        }, ct);
    }

    /// <summary>
    /// Takes the station's next running number for the day, writes the check-in with its shoot number and the
    /// StudentCheckedIn event (whose shoot number the database fills in) in one statement: all of it or none. A
    /// statement that fails (the same student scanned at the same moment elsewhere) takes no number, so numbers
    /// have no gaps. Returns the check-in as written.
    /// </summary>
    /// <exception cref="PostgresException">With <see cref="PostgresErrorCodes.UniqueViolation"/> when this student is already checked in to the session.</exception>
    public static async Task<CheckIn> InsertAsync(
        SchedulingDbContext db, CheckIn checkIn, Station station, string schoolCode, OutboxSignal signal, CancellationToken ct)
    {
        var stationCode = station.Code;
        var @event = new StudentCheckedIn(
            checkIn.RegistrationId, checkIn.CampaignId, checkIn.SessionId, checkIn.StationId.ToString(), string.Empty, checkIn.CheckedInAt,
            station.VenueId, schoolCode);
        var message = OutboxMessage.Create(@event, typeof(StudentCheckedIn));
        var written = await WithConnectionAsync(db, async connection =>
        {
            await using var command = new NpgsqlCommand(Write, connection);
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<Guid>("station", checkIn.StationId));
            p.Add(new NpgsqlParameter<DateOnly>("day", checkIn.Day));
            p.Add(new NpgsqlParameter<Guid>("id", checkIn.Id));
            p.Add(new NpgsqlParameter<Guid>("registration", checkIn.RegistrationId));
            p.Add(new NpgsqlParameter<Guid>("campaign", checkIn.CampaignId));
            p.Add(new NpgsqlParameter<Guid>("session", checkIn.SessionId));
            p.Add(new NpgsqlParameter<string>("code", stationCode));
            p.Add(new NpgsqlParameter<DateTimeOffset>("now", checkIn.CheckedInAt.ToUniversalTime()));
            p.Add(new NpgsqlParameter<bool>("late", checkIn.Late));
            p.Add(new NpgsqlParameter<string>("status", checkIn.Status.ToString()));
            p.Add(Text("reason", checkIn.OverrideReason));
            p.Add(Text("by", checkIn.OverriddenBy));
            p.Add(new NpgsqlParameter<string>("operator", checkIn.OperatorSubject));
            p.Add(new NpgsqlParameter<Guid>("message", message.Id));
            p.Add(new NpgsqlParameter<string>("type", message.MessageType));
            p.Add(new NpgsqlParameter<string>("body", message.Body));
            p.Add(Text("correlation", message.CorrelationId));
            p.Add(Text("trace", message.TraceParent));
            p.Add(new NpgsqlParameter<DateTimeOffset>("created", message.CreatedAt));
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (Sequence: reader.GetInt32(0), ShootNumber: reader.GetString(1));
        }, ct);

        signal.Notify();
        checkIn.Sequence = written.Sequence;
        checkIn.ShootNumber = written.ShootNumber;
        return checkIn;
    }

    private static async Task<T> WithConnectionAsync<T>(SchedulingDbContext db, Func<NpgsqlConnection, Task<T>> work, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await work((NpgsqlConnection)db.Database.GetDbConnection());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
