using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Payment.Infrastructure.Configurations;

public sealed class CampaignFeeConfiguration : IEntityTypeConfiguration<CampaignFee>
{
    public void Configure(EntityTypeBuilder<CampaignFee> builder)
    {
        builder.ToTable("campaign_fees");
        builder.HasKey(f => f.CampaignId);
        builder.Property(f => f.CampaignId).ValueGeneratedNever();
        builder.Property(f => f.SchoolCode).HasMaxLength(16);
        builder.Property(f => f.ItemsJson).HasMaxLength(2000);
        builder.Ignore(f => f.Items);
        builder.Ignore(f => f.TotalFen);
    }
}
