using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Verification.Infrastructure.Configurations;

public sealed class TaskHistoryEntryConfiguration : IEntityTypeConfiguration<TaskHistoryEntry>
{
    public void Configure(EntityTypeBuilder<TaskHistoryEntry> b)
    {
        b.ToTable("task_history");
        b.HasKey(h => h.Id);
        b.Property(h => h.Kind).HasMaxLength(24);
        b.Property(h => h.PhotoKey).HasMaxLength(Limits.ObjectKey);
        b.Property(h => h.PhotoSha256).HasMaxLength(64);
        b.Property(h => h.Fields).HasMaxLength(200);
        b.Property(h => h.Comment).HasMaxLength(Limits.Comment);
        b.Property(h => h.Actor).HasMaxLength(Limits.Actor);
        b.Property(h => h.RemoteAddress).HasMaxLength(Limits.RemoteAddress);
        b.HasIndex(h => new { h.RegistrationId, h.At });

        // One decision per task and round, whatever the application does (confirm twice at once: one row).
        b.HasIndex(h => new { h.RegistrationId, h.Round })
            .IsUnique()
            .HasFilter("kind IN ('confirmed', 'disputed-photo', 'disputed-data')")
            .HasDatabaseName("ux_task_history_one_decision_per_round");
    }
}
