using Capture.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Registration.Infrastructure;

internal sealed class KnownVenueConfiguration : IEntityTypeConfiguration<KnownVenue>
{
    public void Configure(EntityTypeBuilder<KnownVenue> builder)
    {
        builder.ToTable("venues");
        builder.HasKey(v => v.VenueId);
        builder.Property(v => v.VenueId).ValueGeneratedNever();
        builder.Property(v => v.SchoolCode).HasMaxLength(16);
    }
}
