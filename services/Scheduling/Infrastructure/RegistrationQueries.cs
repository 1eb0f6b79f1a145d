using Capture.Scheduling.Domain;

namespace Capture.Scheduling.Infrastructure;

/// <summary>Queries over the local copy of registrations, written so PostgreSQL evaluates them.</summary>
public static class RegistrationQueries
{
    public static IQueryable<ApprovedRegistration> Active(this IQueryable<ApprovedRegistration> registrations) =>
        registrations.Where(r => r.ApprovedAt != null && (r.WithdrawnAt == null || r.WithdrawnAt < r.ApprovedAt));
}
