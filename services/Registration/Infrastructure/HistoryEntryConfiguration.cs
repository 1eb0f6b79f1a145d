using Capture.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Registration.Infrastructure;

internal sealed class HistoryEntryConfiguration : IEntityTypeConfiguration<HistoryEntry>
{
    public void Configure(EntityTypeBuilder<HistoryEntry> builder)
    {
        builder.ToTable("registration_history");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.Field).HasMaxLength(32);
        builder.Property(h => h.OldValue).HasMaxLength(200);
        builder.Property(h => h.NewValue).HasMaxLength(200);
        builder.Property(h => h.ChangedBy).HasMaxLength(200);
        builder.Property(h => h.Source).HasMaxLength(32);
        builder.HasOne<StudentRegistration>().WithMany().HasForeignKey(h => h.RegistrationId);
        builder.HasIndex(h => h.RegistrationId);
    }
}
