using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Payment.Infrastructure.Configurations;

public sealed class CampaignRefundPolicyConfiguration : IEntityTypeConfiguration<CampaignRefundPolicy>
{
    public void Configure(EntityTypeBuilder<CampaignRefundPolicy> builder)
    {
        builder.ToTable("refund_policies");
        builder.HasKey(p => p.CampaignId);
        builder.Property(p => p.CampaignId).ValueGeneratedNever();
        builder.Property(p => p.SchoolCode).HasMaxLength(16);
    }
}
