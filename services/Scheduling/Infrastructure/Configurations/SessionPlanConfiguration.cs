using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class SessionPlanConfiguration : IEntityTypeConfiguration<SessionPlan>
{
    public void Configure(EntityTypeBuilder<SessionPlan> builder)
    {
        builder.ToTable("plans");
        builder.HasKey(p => p.CampaignId);
        builder.Property(p => p.SchoolCode).HasMaxLength(16);
        builder.Property(p => p.Instructions).HasMaxLength(2000);
        builder.Property(p => p.Version).IsRowVersion();
        builder.Ignore(p => p.IsPublished);
    }
}
