using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Payment.Infrastructure.Configurations;

public sealed class StatementImportConfiguration : IEntityTypeConfiguration<StatementImport>
{
    public void Configure(EntityTypeBuilder<StatementImport> builder)
    {
        builder.ToTable("statement_imports");
        builder.HasKey(i => i.BillDate);
        builder.Property(i => i.Source).HasMaxLength(16);
        builder.Property(i => i.ImportedBy).HasMaxLength(128);
    }
}
