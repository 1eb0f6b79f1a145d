using Capture.CaptureIngest.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.CaptureIngest.Infrastructure.Configurations;

public sealed class ShootCheckInConfiguration : IEntityTypeConfiguration<ShootCheckIn>
{
    public void Configure(EntityTypeBuilder<ShootCheckIn> b)
    {
        b.ToTable("check_ins");
        b.HasKey(c => new { c.StationId, c.Day, c.ShootNumber });
        b.Property(c => c.ShootNumber).HasMaxLength(Limits.ShootNumber);
        b.Property(c => c.SchoolCode).HasMaxLength(16);
        b.HasIndex(c => c.RegistrationId);
    }
}

public sealed class KnownStationConfiguration : IEntityTypeConfiguration<KnownStation>
{
    public void Configure(EntityTypeBuilder<KnownStation> b)
    {
        b.ToTable("stations");
        b.HasKey(s => s.StationId);
        b.Property(s => s.SchoolCode).HasMaxLength(16);
        b.Property(s => s.Code).HasMaxLength(16);
        b.HasIndex(s => s.VenueId);
    }
}

public sealed class WithdrawnRegistrationConfiguration : IEntityTypeConfiguration<WithdrawnRegistration>
{
    public void Configure(EntityTypeBuilder<WithdrawnRegistration> b)
    {
        b.ToTable("withdrawn_registrations");
        b.HasKey(w => w.RegistrationId);
        b.Property(w => w.Reason).HasMaxLength(500);
    }
}

public sealed class AcceptedPhotoConfiguration : IEntityTypeConfiguration<AcceptedPhoto>
{
    public void Configure(EntityTypeBuilder<AcceptedPhoto> b)
    {
        b.ToTable("accepted_photos");
        b.HasKey(a => a.RegistrationId);
        b.Property(a => a.SchoolCode).HasMaxLength(16);
        b.Property(a => a.AcceptedBy).HasMaxLength(160);
    }
}

public sealed class PhotoDecisionConfiguration : IEntityTypeConfiguration<PhotoDecision>
{
    public void Configure(EntityTypeBuilder<PhotoDecision> b)
    {
        b.ToTable("photo_decisions");
        b.HasKey(d => d.Id);
        b.Property(d => d.Action).HasMaxLength(32);
        b.Property(d => d.Actor).HasMaxLength(160);
        b.Property(d => d.Reason).HasMaxLength(500);
        b.HasIndex(d => d.PhotoId);
    }
}
