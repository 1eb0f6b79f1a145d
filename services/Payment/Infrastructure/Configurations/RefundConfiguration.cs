using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Payment.Infrastructure.Configurations;

public sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> builder)
    {
        builder.ToTable("refunds");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        // One refund of the order's own payment, ever: the database decides the race between two refund requests. A second
        // payment under a superseded number is refunded at most once per number.
        builder.HasIndex(r => r.OrderId).IsUnique().HasFilter("superseded_out_trade_no IS NULL");
        builder.HasIndex(r => r.SupersededOutTradeNo).IsUnique();
        builder.HasOne<SupersededTradeNumber>().WithMany().HasForeignKey(r => r.SupersededOutTradeNo);
        builder.Ignore(r => r.IsSecondPayment);
        builder.HasIndex(r => r.OutRefundNo).IsUnique();
        builder.HasIndex(r => r.Status);
        builder.HasOne<PaymentOrder>().WithMany().HasForeignKey(r => r.OrderId);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Method).HasMaxLength(16);
        builder.Property(r => r.Reason).HasMaxLength(500);
        builder.Property(r => r.OutRefundNo).HasMaxLength(64);
        builder.Property(r => r.ProviderRefundId).HasMaxLength(64);
        builder.Property(r => r.LastError).HasMaxLength(500);
        builder.Property(r => r.ProviderStatus).HasMaxLength(16);
        builder.Property(r => r.CompletedVia).HasMaxLength(16);
        builder.Property(r => r.SupersededOutTradeNo).HasMaxLength(32);
    }
}
