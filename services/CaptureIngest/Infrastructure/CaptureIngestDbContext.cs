using Capture.CaptureIngest.Domain;
using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>
/// CaptureIngest's database (schema <c>capture_ingest</c>): photos and their bindings, verdicts and decisions, plus
/// its copies of stations, check-ins and withdrawals learned from events. The photos themselves are in object storage.
/// </summary>
/// <remarks>
/// Add a migration (the dotnet-ef tool is not obtainable here; the service scaffolds its own):
/// <c>dotnet run --project services/CaptureIngest -- migrations add &lt;Name&gt;</c>. Migrations are applied at start.
/// </remarks>
public sealed class CaptureIngestDbContext(DbContextOptions<CaptureIngestDbContext> options) : ServiceDbContext(options)
{
    public const string DatabaseName = "capturedb";
    public const string SchemaName = "capture_ingest";
    public const string RoutePrefix = "/api/capture";

    public override string Schema => SchemaName;

    public DbSet<Photo> Photos => Set<Photo>();

    public DbSet<ShootCheckIn> CheckIns => Set<ShootCheckIn>();

    public DbSet<KnownStation> Stations => Set<KnownStation>();

    public DbSet<WithdrawnRegistration> Withdrawals => Set<WithdrawnRegistration>();

    public DbSet<AcceptedPhoto> AcceptedPhotos => Set<AcceptedPhoto>();

    public DbSet<PhotoDecision> Decisions => Set<PhotoDecision>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CaptureIngestDbContext).Assembly);
    }
}
