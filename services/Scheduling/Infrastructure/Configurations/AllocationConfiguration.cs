using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class AllocationConfiguration : IEntityTypeConfiguration<Allocation>
{
    public void Configure(EntityTypeBuilder<Allocation> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.CollegeCode).HasMaxLength(64);
        builder.HasIndex(a => new { a.SessionId, a.CollegeCode }).IsUnique();
        builder.HasIndex(a => new { a.CampaignId, a.CollegeCode });
        builder.HasOne<Session>().WithMany().HasForeignKey(a => a.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.ClassSlots).WithOne().HasForeignKey(c => c.AllocationId).OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t => t.HasCheckConstraint("ck_allocations_headcount", "expected_headcount > 0"));
    }
}
