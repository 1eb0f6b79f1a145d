using Capture.Contracts.Registration;
using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class ApprovedRegistrationConfiguration : IEntityTypeConfiguration<ApprovedRegistration>
{
    public void Configure(EntityTypeBuilder<ApprovedRegistration> builder)
    {
        builder.ToTable("registrations");
        builder.HasKey(r => r.RegistrationId);
        builder.Property(r => r.RegistrationId).ValueGeneratedNever();
        // At least as wide as the contract allows (StudentDataLimits), so every RegistrationApproved can be stored.
        builder.Property(r => r.SchoolCode).HasMaxLength(StudentDataLimits.SchoolCode);
        builder.Property(r => r.CollegeCode).HasMaxLength(StudentDataLimits.CollegeCode);
        builder.Property(r => r.CollegeName).HasMaxLength(256);
        builder.Property(r => r.ClassName).HasMaxLength(StudentDataLimits.ClassName);
        builder.Property(r => r.StudentNumber).HasMaxLength(64);
        builder.Property(r => r.StudentName).HasMaxLength(256);
        builder.Property(r => r.MaskedIdNumber).HasMaxLength(64);
        builder.Property(r => r.DegreeLevel).HasMaxLength(64);
        builder.Property(r => r.Campus).HasMaxLength(StudentDataLimits.Campus);
        builder.Ignore(r => r.IsActive);
        builder.HasIndex(r => new { r.CampaignId, r.CollegeCode });
        builder.HasIndex(r => new { r.SchoolCode, r.StudentNumber });
    }
}
