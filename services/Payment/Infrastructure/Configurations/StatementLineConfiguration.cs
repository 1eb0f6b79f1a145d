using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Payment.Infrastructure.Configurations;

public sealed class StatementLineConfiguration : IEntityTypeConfiguration<StatementLine>
{
    public void Configure(EntityTypeBuilder<StatementLine> builder)
    {
        builder.ToTable("statement_lines");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).ValueGeneratedNever();
        builder.HasIndex(l => new { l.BillDate, l.OutTradeNo });
        builder.Property(l => l.OutTradeNo).HasMaxLength(32);
        builder.Property(l => l.TransactionId).HasMaxLength(64);
        builder.Property(l => l.Kind).HasMaxLength(16);
        builder.Property(l => l.OutRefundNo).HasMaxLength(64);
        builder.Property(l => l.Currency).HasMaxLength(3);
    }
}
