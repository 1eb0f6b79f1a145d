using Capture.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Registration.Infrastructure;

internal sealed class CorrectionConfiguration : IEntityTypeConfiguration<Correction>
{
    public void Configure(EntityTypeBuilder<Correction> builder)
    {
        builder.ToTable("corrections");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.SchoolCode).HasMaxLength(16);
        builder.Property(c => c.CollegeCode).HasMaxLength(64);
        builder.Property(c => c.Field).HasMaxLength(32);
        builder.Property(c => c.NewIdType).HasMaxLength(40);
        builder.Property(c => c.NewValue).HasMaxLength(200);
        builder.Property(c => c.OldValue).HasMaxLength(200);
        builder.Property(c => c.Reason).HasMaxLength(1000);
        builder.Property(c => c.DocumentReference).HasMaxLength(500);
        builder.Property(c => c.Status).HasMaxLength(16);
        builder.Property(c => c.RequestedBy).HasMaxLength(200);
        builder.Property(c => c.DecidedBy).HasMaxLength(200);
        builder.Property(c => c.DecisionNote).HasMaxLength(1000);
        builder.HasOne<StudentRegistration>().WithMany().HasForeignKey(c => c.RegistrationId);
        builder.HasIndex(c => new { c.CampaignId, c.Status });
    }
}
