using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class CheckInConfiguration : IEntityTypeConfiguration<CheckIn>
{
    public void Configure(EntityTypeBuilder<CheckIn> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.ShootNumber).HasMaxLength(32);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.OverrideReason).HasMaxLength(500);
        builder.Property(c => c.OverriddenBy).HasMaxLength(128);
        builder.Property(c => c.OperatorSubject).HasMaxLength(128);
        builder.Property(c => c.Version).IsRowVersion();
        // The two guarantees of check-in, kept by the database: one shoot number per station, day and sequence,
        // and one check-in per registration and session (a re-scan finds it).
        builder.HasIndex(c => new { c.StationId, c.Day, c.Sequence }).IsUnique();
        builder.HasIndex(c => new { c.StationId, c.Day, c.ShootNumber }).IsUnique();
        builder.HasIndex(c => new { c.RegistrationId, c.SessionId }).IsUnique();
        builder.HasIndex(c => new { c.SessionId, c.Status });
        builder.HasOne<Station>().WithMany().HasForeignKey(c => c.StationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Session>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Restrict);
    }
}
