using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Payment.Infrastructure.Configurations;

public sealed class SupersededTradeNoConfiguration : IEntityTypeConfiguration<SupersededTradeNo>
{
    public void Configure(EntityTypeBuilder<SupersededTradeNo> builder)
    {
        builder.ToTable("superseded_trade_nos");
        builder.HasKey(s => s.OutTradeNo);
        builder.Property(s => s.OutTradeNo).HasMaxLength(32);
        builder.Property(s => s.PaidTransactionId).HasMaxLength(64);
        builder.HasIndex(s => s.OrderId);
        builder.HasOne<PaymentOrder>().WithMany(o => o.SupersededTradeNos).HasForeignKey(s => s.OrderId);
    }
}
