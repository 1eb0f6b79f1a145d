using Capture.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Capture.ServiceDefaults.Persistence;

/// <summary>
/// The base of every service's DbContext: its own schema, plus the outbox and inbox tables that make
/// "state change + event" one transaction and "message handled" exactly once.
/// </summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>The PostgreSQL schema this service's tables live in (the service's resource name, snake_case).</summary>
    public abstract string Schema { get; }

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    /// <summary>Queues an integration event; it is saved with this context's next SaveChanges and published by the outbox relay.</summary>
    public OutboxMessage AddIntegrationEvent<T>(T message) where T : class
    {
        var row = OutboxMessage.Create(message, typeof(T));
        OutboxMessages.Add(row);
        return row;
    }

    /// <summary>
    /// Queues an integration event that must not wait behind bulk ones (a revocation, a withdrawal): the relay publishes
    /// unpublished urgent rows before any other. It may therefore overtake an earlier non-urgent event of this service;
    /// consumers already cope with that (events of different types travel on different queues anyway).
    /// </summary>
    public OutboxMessage AddUrgentIntegrationEvent<T>(T message) where T : class
    {
        var row = OutboxMessage.Create(message, typeof(T), urgent: true);
        OutboxMessages.Add(row);
        return row;
    }

    /// <summary>Queues a command for one receive endpoint (queue name), delivered like an event.</summary>
    public OutboxMessage AddCommand<T>(T command, string queueName) where T : class
    {
        var row = OutboxMessage.Create(command, typeof(T), destination: "queue:" + queueName);
        OutboxMessages.Add(row);
        return row;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
        modelBuilder.ApplyConfiguration(new InboxMessageConfiguration());
        base.OnModelCreating(modelBuilder);
    }
}
