using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Payment.Infrastructure.Configurations;

public sealed class SupersededTradeNumberConfiguration : IEntityTypeConfiguration<SupersededTradeNumber>
{
    public void Configure(EntityTypeBuilder<SupersededTradeNumber> builder)
    {
        builder.ToTable("superseded_trade_numbers", t => t.HasCheckConstraint("ck_superseded_trade_numbers_amount", "amount_fen >= 0"));
        // A number is superseded once, whichever path gives it up first (ON CONFLICT DO NOTHING for the others).
        builder.HasKey(s => s.OutTradeNo);
        builder.HasOne<PaymentOrder>().WithMany().HasForeignKey(s => s.OrderId);
        builder.HasIndex(s => s.OrderId);
        builder.HasIndex(s => new { s.State, s.NextAttemptAt });
        builder.Property(s => s.OutTradeNo).HasMaxLength(32);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.Property(s => s.Channel).HasMaxLength(8);
        builder.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.LastError).HasMaxLength(500);
        builder.Property(s => s.TransactionId).HasMaxLength(64);
    }
}
