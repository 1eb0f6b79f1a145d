using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.SchoolCode).HasMaxLength(16);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Version).IsRowVersion();
        builder.HasIndex(s => new { s.CampaignId, s.StartsAt });
        builder.HasIndex(s => new { s.VenueId, s.StartsAt });
        builder.HasOne<CaptureDay>().WithMany().HasForeignKey(s => s.CaptureDayId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Venue>().WithMany().HasForeignKey(s => s.VenueId).OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_sessions_window", "ends_at > starts_at");
            // The database itself refuses an overbooked makeup session, whatever the code does.
            t.HasCheckConstraint("ck_sessions_booked", "booked >= 0 AND (capacity IS NULL OR booked <= capacity)");
        });
    }
}
