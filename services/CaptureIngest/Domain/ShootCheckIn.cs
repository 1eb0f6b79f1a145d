namespace Capture.CaptureIngest.Domain;

/// <summary>
/// CaptureIngest's copy of a check-in (from Scheduling's <c>StudentCheckedIn</c>): the one registration a station's
/// shoot number stands for on a day. The primary key (station, day, shoot number) is what makes a swap impossible:
/// one key, one registration.
/// </summary>
public sealed class ShootCheckIn
{
    public Guid StationId { get; set; }

    public DateOnly Day { get; set; }

    public required string ShootNumber { get; set; }

    public Guid RegistrationId { get; set; }

    public Guid CampaignId { get; set; }

    public Guid SessionId { get; set; }

    public Guid VenueId { get; set; }

    public required string SchoolCode { get; set; }

    public DateTimeOffset CheckedInAt { get; set; }
}

/// <summary>A station CaptureIngest accepts photos from: its venue (for the operator's scope) and school (the photos' owner).</summary>
public sealed class KnownStation
{
    public Guid StationId { get; set; }

    public Guid VenueId { get; set; }

    public required string SchoolCode { get; set; }

    public required string Code { get; set; }
}

/// <summary>A registration that left its campaign: a photo for it is held, never bound.</summary>
public sealed class WithdrawnRegistration
{
    public Guid RegistrationId { get; set; }

    public required string Reason { get; set; }

    public DateTimeOffset WithdrawnAt { get; set; }
}

/// <summary>The photo that is final for a registration (the one sent on as <c>PhotoAccepted</c>); a later pick replaces it.</summary>
public sealed class AcceptedPhoto
{
    public Guid RegistrationId { get; set; }

    public Guid PhotoId { get; set; }

    public Guid CampaignId { get; set; }

    public required string SchoolCode { get; set; }

    public required string AcceptedBy { get; set; }

    public DateTimeOffset AcceptedAt { get; set; }
}

/// <summary>Audit of a person's decision on a photo (bind a held photo, discard, pick): who, when, old, new, why.</summary>
public sealed class PhotoDecision
{
    public Guid Id { get; set; }

    public Guid PhotoId { get; set; }

    public required string Action { get; set; }

    public required string Actor { get; set; }

    public string? Reason { get; set; }

    public Guid? OldRegistrationId { get; set; }

    public Guid? NewRegistrationId { get; set; }

    public DateTimeOffset At { get; set; }
}
