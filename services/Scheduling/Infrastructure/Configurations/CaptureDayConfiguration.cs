using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class CaptureDayConfiguration : IEntityTypeConfiguration<CaptureDay>
{
    public void Configure(EntityTypeBuilder<CaptureDay> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.SchoolCode).HasMaxLength(16);
        builder.HasIndex(d => new { d.CampaignId, d.CampusId, d.Date }).IsUnique();
        builder.HasOne<Campus>().WithMany().HasForeignKey(d => d.CampusId).OnDelete(DeleteBehavior.Restrict);
    }
}
