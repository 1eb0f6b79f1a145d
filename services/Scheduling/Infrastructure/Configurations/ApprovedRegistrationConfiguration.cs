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
        builder.Property(r => r.SchoolCode).HasMaxLength(16);
        builder.Property(r => r.CollegeCode).HasMaxLength(64);
        builder.Property(r => r.CollegeName).HasMaxLength(256);
        builder.Property(r => r.ClassName).HasMaxLength(128);
        builder.Property(r => r.StudentNumber).HasMaxLength(64);
        builder.Property(r => r.StudentName).HasMaxLength(256);
        builder.Property(r => r.MaskedIdNumber).HasMaxLength(64);
        builder.Property(r => r.DegreeLevel).HasMaxLength(64);
        builder.Property(r => r.Campus).HasMaxLength(128);
        builder.Ignore(r => r.IsActive);
        builder.HasIndex(r => new { r.CampaignId, r.CollegeCode });
        builder.HasIndex(r => new { r.SchoolCode, r.StudentNumber });
    }
}
