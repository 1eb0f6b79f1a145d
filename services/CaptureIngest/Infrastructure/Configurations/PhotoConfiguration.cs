using Capture.CaptureIngest.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.CaptureIngest.Infrastructure.Configurations;

public sealed class PhotoConfiguration : IEntityTypeConfiguration<Photo>
{
    public void Configure(EntityTypeBuilder<Photo> b)
    {
        b.ToTable("photos");
        b.HasKey(p => p.Id);
        b.Property(p => p.SchoolCode).HasMaxLength(16);
        b.Property(p => p.ShootNumber).HasMaxLength(Limits.ShootNumber);
        b.Property(p => p.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(p => p.ContentType).HasMaxLength(64);
        b.Property(p => p.RawObjectKey).HasMaxLength(256);
        b.Property(p => p.UploadedBy).HasMaxLength(128);
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Verdict).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.HeldReason).HasMaxLength(500);
        b.Property(p => p.StandardizedObjectKey).HasMaxLength(256);
        b.Property(p => p.StandardizedSha256).HasMaxLength(64).IsFixedLength();
        b.Property(p => p.QualityReport).HasColumnType("jsonb");
        b.Property(p => p.FailedMeasures).HasMaxLength(500);
        b.Property(p => p.RejectReason).HasMaxLength(500);
        b.Property(p => p.Version).IsRowVersion();

        // The same bytes for the same shoot number at the same station are one photo (a retried upload).
        b.HasIndex(p => new { p.StationId, p.ShootNumber, p.Sha256 }).IsUnique();
        b.HasIndex(p => new { p.StationId, p.Day, p.ShootNumber });
        b.HasIndex(p => p.RegistrationId);
        b.HasIndex(p => new { p.Status, p.UploadedAt });
    }
}
