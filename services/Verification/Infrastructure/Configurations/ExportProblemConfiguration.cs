using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Verification.Infrastructure.Configurations;

public sealed class ExportProblemConfiguration : IEntityTypeConfiguration<ExportProblem>
{
    public void Configure(EntityTypeBuilder<ExportProblem> b)
    {
        b.ToTable("export_problems");
        b.HasKey(x => new { x.BatchId, x.RegistrationId });
        b.Property(x => x.StudentNumber).HasMaxLength(Limits.StudentNumber);
        b.Property(x => x.CollegeCode).HasMaxLength(Limits.CollegeCode);
        b.Property(x => x.Kind).HasMaxLength(24);
        b.Property(x => x.Detail).HasMaxLength(Limits.Reason);
    }
}
