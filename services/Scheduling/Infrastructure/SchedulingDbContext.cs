using Capture.Scheduling.Domain;
using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Infrastructure;

/// <summary>
/// Scheduling's database (schema <c>scheduling</c>): venues, stations, capture days, sessions, allocations, check-ins, makeup bookings.
/// </summary>
/// <remarks>
/// Add a migration (the dotnet-ef tool is not obtainable here; the service scaffolds its own):
/// <c>dotnet build services/Scheduling &amp;&amp; dotnet run --no-build --project services/Scheduling -- migrations add &lt;Name&gt;</c>.
/// Migrations are applied at start.
/// </remarks>
public sealed class SchedulingDbContext(DbContextOptions<SchedulingDbContext> options) : ServiceDbContext(options)
{
    public const string DatabaseName = "schedulingdb";
    public const string SchemaName = "scheduling";
    public const string RoutePrefix = "/api/scheduling";

    public override string Schema => SchemaName;

    public DbSet<Campus> Campuses => Set<Campus>();

    public DbSet<Venue> Venues => Set<Venue>();

    public DbSet<Station> Stations => Set<Station>();

    public DbSet<CaptureDay> CaptureDays => Set<CaptureDay>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<SessionPlan> Plans => Set<SessionPlan>();

    public DbSet<CampaignOwner> Campaigns => Set<CampaignOwner>();

    public DbSet<Allocation> Allocations => Set<Allocation>();

    public DbSet<ClassSlot> ClassSlots => Set<ClassSlot>();

    public DbSet<ApprovedRegistration> Registrations => Set<ApprovedRegistration>();

    public DbSet<PaymentRecord> Payments => Set<PaymentRecord>();

    public DbSet<VerifiedCaptureCode> VerifiedCaptureCodes => Set<VerifiedCaptureCode>();

    public DbSet<StationDayCounter> StationDayCounters => Set<StationDayCounter>();

    public DbSet<CheckIn> CheckIns => Set<CheckIn>();

    public DbSet<MakeupEligibility> MakeupEligibilities => Set<MakeupEligibility>();

    public DbSet<MakeupBooking> MakeupBookings => Set<MakeupBooking>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SchedulingDbContext).Assembly);
    }
}
