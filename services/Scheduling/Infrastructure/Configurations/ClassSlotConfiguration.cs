using Capture.Contracts.Registration;
using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class ClassSlotConfiguration : IEntityTypeConfiguration<ClassSlot>
{
    public void Configure(EntityTypeBuilder<ClassSlot> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.ClassName).HasMaxLength(StudentDataLimits.ClassName);
        builder.HasIndex(c => new { c.AllocationId, c.ClassName }).IsUnique();
    }
}
