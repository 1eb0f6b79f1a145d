using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class MakeupBookingConfiguration : IEntityTypeConfiguration<MakeupBooking>
{
    public void Configure(EntityTypeBuilder<MakeupBooking> builder)
    {
        builder.HasKey(b => b.Id);
        builder.HasIndex(b => new { b.CampaignId, b.RegistrationId }).IsUnique().HasFilter("cancelled_at IS NULL");
        builder.HasIndex(b => b.MakeupSessionId);
        builder.HasOne<Session>().WithMany().HasForeignKey(b => b.MakeupSessionId).OnDelete(DeleteBehavior.Restrict);
    }
}
