using Capture.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Registration.Infrastructure;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.ToTable("campaigns");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.SchoolCode).HasMaxLength(16);
        builder.Property(c => c.SchoolName).HasMaxLength(200);
        builder.Property(c => c.Cohort).HasMaxLength(64);
        builder.Property(c => c.Status).HasMaxLength(16);
        builder.HasIndex(c => c.SchoolCode);
    }
}
