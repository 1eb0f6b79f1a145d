using Capture.ServiceDefaults.Validation;

namespace Capture.Scheduling.Apis;

/// <summary>One place and time where the student is expected (a split college may list several: any of them).</summary>
public sealed record MySessionSlot(Guid SessionId, DateOnly Date, string LocalStart, string LocalEnd, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Venue, string Building, string Room, string Campus, string? ClassLocalStart, string? ClassLocalEnd);

public sealed record MySessionResponse(Guid RegistrationId, Guid CampaignId, string StudentName, string CollegeName, string? ClassName, int PlanVersion, IReadOnlyList<MySessionSlot> Sessions, string WhatToBring, MyBooking? MakeupBooking);

public sealed record MyBooking(Guid BookingId, Guid MakeupSessionId, DateOnly Date, string LocalStart, string LocalEnd, string Venue);

public sealed record MakeupOffer(Guid MakeupSessionId, DateOnly Date, string LocalStart, string LocalEnd, string Venue, int Capacity, int PlacesLeft);

public sealed record MyMakeupResponse(bool Eligible, string? Reason, MyBooking? Booking, IReadOnlyList<MakeupOffer> Sessions);

public sealed record GrantMakeupRequest(Guid? RegistrationId, [PlainText(32)] string? Reason);
