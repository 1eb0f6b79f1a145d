using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Verification.Infrastructure.Configurations;

public sealed class VerificationTaskConfiguration : IEntityTypeConfiguration<VerificationTask>
{
    public void Configure(EntityTypeBuilder<VerificationTask> b)
    {
        b.ToTable("tasks");
        b.HasKey(t => t.RegistrationId);
        b.Property(t => t.SchoolCode).HasMaxLength(Limits.SchoolCode);
        b.Property(t => t.CollegeCode).HasMaxLength(Limits.CollegeCode);
        b.Property(t => t.CollegeName).HasMaxLength(Limits.CollegeName);
        b.Property(t => t.StudentNumber).HasMaxLength(Limits.StudentNumber);
        b.Property(t => t.StudentName).HasMaxLength(Limits.StudentName);
        b.Property(t => t.IdType).HasMaxLength(Limits.IdType);
        b.Property(t => t.IdNumber).HasMaxLength(Limits.IdNumber);
        b.Property(t => t.DegreeLevel).HasMaxLength(Limits.DegreeLevel);
        b.Property(t => t.StudyMode).HasMaxLength(Limits.StudyMode);
        b.Property(t => t.PhotoKey).HasMaxLength(Limits.ObjectKey);
        b.Property(t => t.PhotoSha256).HasMaxLength(64);
        b.Property(t => t.State).HasConversion<string>().HasMaxLength(24);
        b.Property(t => t.Version).IsRowVersion();
        b.Ignore(t => t.Data);
        b.Ignore(t => t.HasData);

        b.HasIndex(t => new { t.SchoolCode, t.StudentNumber });
        b.HasIndex(t => new { t.CampaignId, t.SchoolCode, t.CollegeCode, t.State });
        b.HasIndex(t => new { t.State, t.Deadline });
    }
}
