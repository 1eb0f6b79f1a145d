using Capture.Contracts.Registration;
using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class CampaignOwnerConfiguration : IEntityTypeConfiguration<CampaignOwner>
{
    public void Configure(EntityTypeBuilder<CampaignOwner> builder)
    {
        builder.ToTable("campaigns");
        builder.HasKey(c => c.CampaignId);
        builder.Property(c => c.SchoolCode).HasMaxLength(16);
        builder.Property(c => c.Cohort).HasMaxLength(StudentDataLimits.Cohort);
    }
}
