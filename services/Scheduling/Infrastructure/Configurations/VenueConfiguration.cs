using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class VenueConfiguration : IEntityTypeConfiguration<Venue>
{
    public void Configure(EntityTypeBuilder<Venue> builder)
    {
        builder.HasKey(v => v.Id);
        builder.Property(v => v.SchoolCode).HasMaxLength(16);
        builder.Property(v => v.Code).HasMaxLength(32);
        builder.Property(v => v.Name).HasMaxLength(128);
        builder.Property(v => v.Building).HasMaxLength(128);
        builder.Property(v => v.Room).HasMaxLength(64);
        builder.HasIndex(v => new { v.SchoolCode, v.Code }).IsUnique();
        builder.HasOne<Campus>().WithMany().HasForeignKey(v => v.CampusId).OnDelete(DeleteBehavior.Restrict);
    }
}
