using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.ServiceDefaults.Messaging;

/// <summary>A message a consumer has handled: the row is written in the handler's transaction, so a redelivery finds it and does nothing.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }

    public string Consumer { get; set; } = "";

    public DateTimeOffset ProcessedAt { get; set; }
}

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> builder)
    {
        builder.ToTable("inbox_messages");
        builder.HasKey(m => new { m.MessageId, m.Consumer });
        builder.Property(m => m.Consumer).HasMaxLength(256);
        builder.HasIndex(m => m.ProcessedAt);
    }
}
