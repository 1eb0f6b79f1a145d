using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Payment.Infrastructure.Configurations;

public sealed class RemittanceConfiguration : IEntityTypeConfiguration<Remittance>
{
    public void Configure(EntityTypeBuilder<Remittance> builder)
    {
        builder.ToTable("remittances");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        // One open batch per college and campaign: concurrent recordings share it.
        builder.HasIndex(r => new { r.CampaignId, r.SchoolCode, r.CollegeCode }).IsUnique().HasFilter("status = 'Open'");
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.SchoolCode).HasMaxLength(16);
        builder.Property(r => r.CollegeCode).HasMaxLength(32);
        builder.Property(r => r.ConfirmedBy).HasMaxLength(200);
    }
}
