using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Capture.ServiceDefaults.Tests.Plumbing;

/// <summary>
/// A small service database for testing the shared plumbing on its own: a ledger whose balance is the state,
/// plus the outbox and inbox every service has. Its migration was scaffolded by <see cref="MigrationsCommand"/>.
/// </summary>
public sealed class LedgerDbContext(DbContextOptions<LedgerDbContext> options) : ServiceDbContext(options)
{
    public const string SchemaName = "ledger";

    public override string Schema => SchemaName;

    public DbSet<Ledger> Ledgers => Set<Ledger>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Ledger>(ledger =>
        {
            ledger.ToTable("ledgers");
            ledger.HasKey(l => l.Id);
            ledger.Property(l => l.Name).HasMaxLength(200);
            // Optimistic concurrency on PostgreSQL's xmin: concurrent deposits conflict and the loser is retried.
            ledger.Property(l => l.Version).IsRowVersion();
        });
    }
}

public sealed class Ledger
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public long Balance { get; set; }

    public uint Version { get; set; }
}
