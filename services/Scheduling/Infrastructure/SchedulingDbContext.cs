using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Infrastructure;

/// <summary>
/// Scheduling's database (schema <c>scheduling</c>): venues, stations, capture days, sessions, allocations, check-ins, makeup bookings.
/// </summary>
/// <remarks>
/// Add a migration (the dotnet-ef tool is not obtainable here; the service scaffolds its own):
/// <c>dotnet run --project services/Scheduling -- migrations add &lt;Name&gt;</c>. Migrations are applied at start.
/// </remarks>
public sealed class SchedulingDbContext(DbContextOptions<SchedulingDbContext> options) : ServiceDbContext(options)
{
    public const string DatabaseName = "schedulingdb";
    public const string SchemaName = "scheduling";
    public const string RoutePrefix = "/api/scheduling";

    public override string Schema => SchemaName;
}
