using Capture.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Registration.Infrastructure;

internal sealed class PriorCaptureConfiguration : IEntityTypeConfiguration<PriorCapture>
{
    public void Configure(EntityTypeBuilder<PriorCapture> builder)
    {
        builder.ToTable("prior_captures");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.IdNumber).HasMaxLength(32);
        builder.Property(p => p.DegreeLevel).HasMaxLength(16);
        builder.Property(p => p.SchoolCode).HasMaxLength(16);
        builder.Property(p => p.Source).HasMaxLength(16);
        builder.Property(p => p.Note).HasMaxLength(200);
        // Each school keeps its own: another school's record of a student neither refuses nor annotates this school's rows.
        builder.HasIndex(p => new { p.SchoolCode, p.IdNumber, p.DegreeLevel }).IsUnique();
    }
}
