using Capture.Registration.Domain;
using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Capture.Registration.Infrastructure;

/// <summary>
/// Registration's database (schema <c>registration</c>): campaigns, students, registrations, corrections, capture codes.
/// </summary>
/// <remarks>
/// Add a migration (the dotnet-ef tool is not obtainable here; the service scaffolds its own):
/// <c>dotnet run --project services/Registration -- migrations add &lt;Name&gt;</c>. Migrations are applied at start.
/// </remarks>
public sealed class RegistrationDbContext(DbContextOptions<RegistrationDbContext> options) : ServiceDbContext(options)
{
    public const string DatabaseName = "registrationdb";
    public const string SchemaName = "registration";
    public const string RoutePrefix = "/api/registration";

    public override string Schema => SchemaName;

    public DbSet<Campaign> Campaigns => Set<Campaign>();

    public DbSet<StudentRegistration> Registrations => Set<StudentRegistration>();

    public DbSet<Correction> Corrections => Set<Correction>();

    public DbSet<HistoryEntry> History => Set<HistoryEntry>();

    public DbSet<PriorCapture> PriorCaptures => Set<PriorCapture>();

    /// <summary>Capture venues and their school (from Scheduling's StationOpened): whose codes a station operator may verify.</summary>
    public DbSet<KnownVenue> Venues => Set<KnownVenue>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistrationDbContext).Assembly);
    }
}
