using Capture.ServiceDefaults.Persistence;
using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Verification.Infrastructure;

/// <summary>
/// Verification's database (schema <c>verification</c>): verification tasks (with the copy of the data that goes to
/// CHSI), their history, reminders sent, export batches and their problems, and the photo access audit.
/// </summary>
/// <remarks>
/// Add a migration (the dotnet-ef tool is not obtainable here; the service scaffolds its own):
/// <c>dotnet run --project services/Verification -- migrations add &lt;Name&gt;</c>. Migrations are applied at start.
/// </remarks>
public sealed class VerificationDbContext(DbContextOptions<VerificationDbContext> options) : ServiceDbContext(options)
{
    public const string DatabaseName = "verificationdb";
    public const string SchemaName = "verification";
    public const string RoutePrefix = "/api/verification";

    public override string Schema => SchemaName;

    public DbSet<VerificationTask> Tasks => Set<VerificationTask>();

    public DbSet<TaskHistoryEntry> History => Set<TaskHistoryEntry>();

    public DbSet<ReminderSent> Reminders => Set<ReminderSent>();

    public DbSet<ExportBatch> Exports => Set<ExportBatch>();

    public DbSet<ExportProblem> ExportProblems => Set<ExportProblem>();

    public DbSet<PhotoAccess> PhotoAccesses => Set<PhotoAccess>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VerificationDbContext).Assembly);
    }
}
