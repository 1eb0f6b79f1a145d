using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Payment.Infrastructure.Configurations;

public sealed class NotifyNonceConfiguration : IEntityTypeConfiguration<NotifyNonce>
{
    public void Configure(EntityTypeBuilder<NotifyNonce> builder)
    {
        builder.ToTable("notify_nonces");
        builder.HasKey(n => n.Nonce);
        builder.Property(n => n.Nonce).HasMaxLength(64);
        builder.HasIndex(n => n.ReceivedAt);
    }
}
