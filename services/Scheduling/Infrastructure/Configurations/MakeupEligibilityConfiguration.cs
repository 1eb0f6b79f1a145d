using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class MakeupEligibilityConfiguration : IEntityTypeConfiguration<MakeupEligibility>
{
    public void Configure(EntityTypeBuilder<MakeupEligibility> builder)
    {
        builder.ToTable("makeup_eligibilities");
        builder.HasKey(e => new { e.RegistrationId, e.CampaignId });
        builder.Property(e => e.Reason).HasMaxLength(32);
    }
}
