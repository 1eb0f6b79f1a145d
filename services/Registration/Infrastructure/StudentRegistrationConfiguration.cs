using Capture.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Registration.Infrastructure;

internal sealed class StudentRegistrationConfiguration : IEntityTypeConfiguration<StudentRegistration>
{
    public void Configure(EntityTypeBuilder<StudentRegistration> builder)
    {
        builder.ToTable("registrations");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.SchoolCode).HasMaxLength(16);
        builder.Property(r => r.StudentNumber).HasMaxLength(32);
        builder.Property(r => r.Name).HasMaxLength(RosterRowValidator.MaxNameLength);
        builder.Property(r => r.IdType).HasMaxLength(40);
        builder.Property(r => r.IdNumber).HasMaxLength(32);
        builder.Property(r => r.DegreeLevel).HasMaxLength(16);
        builder.Property(r => r.StudyMode).HasMaxLength(16);
        builder.Property(r => r.CollegeCode).HasMaxLength(64);
        builder.Property(r => r.CollegeName).HasMaxLength(200);
        builder.Property(r => r.Major).HasMaxLength(200);
        builder.Property(r => r.ClassName).HasMaxLength(200);
        builder.Property(r => r.Campus).HasMaxLength(200);
        builder.Property(r => r.Cohort).HasMaxLength(64);
        builder.Property(r => r.Status).HasMaxLength(16);
        builder.Property(r => r.ReviewedBy).HasMaxLength(200);
        builder.Property(r => r.StatusReason).HasMaxLength(1000);
        builder.Property(r => r.Version).IsRowVersion();
        builder.HasOne<Campaign>().WithMany().HasForeignKey(r => r.CampaignId);

        // A student is in a campaign once, by student number and by ID number; imports rely on these to stay idempotent.
        builder.HasIndex(r => new { r.CampaignId, r.StudentNumber }).IsUnique();
        builder.HasIndex(r => new { r.CampaignId, r.IdNumber }).IsUnique();
        builder.HasIndex(r => new { r.CampaignId, r.CollegeCode, r.Status });
        builder.HasIndex(r => new { r.SchoolCode, r.StudentNumber });
    }
}
