using System.Diagnostics;
using System.Text.Json;
using Capture.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.ServiceDefaults.Messaging;

/// <summary>
/// An integration event (or command) saved in the same transaction as the state change that caused it.
/// The relay publishes it and stamps <see cref="PublishedAt"/>; until then it is retried with back-off.
/// Its <see cref="Id"/> becomes the message id, so a consumer's inbox drops a second delivery.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; private set; }

    /// <summary>Publication order within the service (a database sequence, so concurrent writers never collide).</summary>
    public long Sequence { get; private set; }

    /// <summary>CLR full name of the message type, resolved against the contracts when relayed.</summary>
    public string MessageType { get; private set; } = "";

    public string Body { get; private set; } = "";

    /// <summary><c>null</c> to publish (events); <c>queue:name</c> to send to one endpoint (commands).</summary>
    public string? Destination { get; private set; }

    public string? CorrelationId { get; private set; }

    /// <summary>W3C traceparent of the work that wrote the row, so the publish joins the same trace.</summary>
    public string? TraceParent { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>
    /// Relayed before every non-urgent row (revocations, withdrawals): a 20,000-row roster import waiting in the outbox
    /// must not hold back a code that has to stop working now. Urgent rows keep their order among themselves.
    /// </summary>
    public bool Urgent { get; private set; }

    public static OutboxMessage Create(object message, Type messageType, string? destination = null, bool urgent = false) => new()
    {
        Urgent = urgent,
        Id = NewId(),
        MessageType = messageType.FullName ?? throw new ArgumentException("Message types need a full name.", nameof(messageType)),
        Body = JsonSerializer.Serialize(message, messageType, JsonSerializerOptions.Web),
        Destination = destination,
        CorrelationId = CorrelationContext.Current,
        TraceParent = Activity.Current?.Id,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private static Guid NewId() => Guid.CreateVersion7();
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Sequence).UseIdentityAlwaysColumn();
        builder.Property(m => m.MessageType).HasMaxLength(512);
        builder.Property(m => m.Body).HasColumnType("jsonb");
        builder.Property(m => m.Destination).HasMaxLength(512);
        builder.Property(m => m.CorrelationId).HasMaxLength(64);
        builder.Property(m => m.TraceParent).HasMaxLength(128);
        builder.Property(m => m.LastError).HasMaxLength(2000);
        // The relay's query: unpublished rows, urgent ones first, each in order. A partial index stays small however long
        // rows are kept, and its order is the relay's, so a batch is read off the index without sorting the backlog.
        builder.HasIndex(m => new { m.Urgent, m.Sequence }).IsDescending(true, false).HasFilter("published_at IS NULL").HasDatabaseName("ix_outbox_messages_unpublished");
        builder.HasIndex(m => m.PublishedAt);
    }
}
