using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Verification.Infrastructure.Configurations;

public sealed class ExportBatchConfiguration : IEntityTypeConfiguration<ExportBatch>
{
    public void Configure(EntityTypeBuilder<ExportBatch> b)
    {
        b.ToTable("export_batches");
        b.HasKey(x => x.Id);
        b.Property(x => x.SchoolCode).HasMaxLength(Limits.SchoolCode);
        b.Property(x => x.CollegeCode).HasMaxLength(Limits.CollegeCode);
        b.Property(x => x.Naming).HasMaxLength(24);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.RequestedBy).HasMaxLength(Limits.Actor);
        b.Property(x => x.ObjectKey).HasMaxLength(Limits.ObjectKey);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Failure).HasMaxLength(Limits.Reason);
        b.HasIndex(x => new { x.CampaignId, x.SchoolCode, x.RequestedAt });

        // Export started twice at once: one batch in flight per set.
        b.HasIndex(x => new { x.CampaignId, x.SchoolCode, x.CollegeCode, x.Naming, x.IncludeExpired })
            .IsUnique()
            .HasFilter("state IN ('Queued', 'Building')")
            .HasDatabaseName("ux_export_batches_one_in_flight");
    }
}
