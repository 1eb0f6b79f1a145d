using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class VerifiedCaptureCodeConfiguration : IEntityTypeConfiguration<VerifiedCaptureCode>
{
    public void Configure(EntityTypeBuilder<VerifiedCaptureCode> builder)
    {
        builder.HasKey(c => c.CodeHash);
        builder.Property(c => c.CodeHash).HasMaxLength(64);
        builder.HasIndex(c => c.RegistrationId);
    }
}
