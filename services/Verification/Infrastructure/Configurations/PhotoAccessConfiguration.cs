using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Verification.Infrastructure.Configurations;

public sealed class PhotoAccessConfiguration : IEntityTypeConfiguration<PhotoAccess>
{
    public void Configure(EntityTypeBuilder<PhotoAccess> b)
    {
        b.ToTable("photo_access");
        b.HasKey(x => x.Id);
        b.Property(x => x.Actor).HasMaxLength(Limits.Actor);
        b.Property(x => x.SchoolCode).HasMaxLength(Limits.SchoolCode);
        b.Property(x => x.What).HasMaxLength(16);
        b.Property(x => x.RemoteAddress).HasMaxLength(Limits.RemoteAddress);
        b.HasIndex(x => new { x.SchoolCode, x.At });
    }
}
