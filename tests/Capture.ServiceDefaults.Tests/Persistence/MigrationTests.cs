using Capture.ServiceDefaults.Tests.Plumbing;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;

namespace Capture.ServiceDefaults.Tests.Persistence;

public sealed class MigrationTests
{
    [Fact]
    public async Task Three_instances_starting_at_once_on_a_new_database_all_start_and_migrate_it_once()
    {
        await using var isolated = await Isolated.CreateAsync();
        var starts = Enumerable.Range(0, 3)
            .Select(_ => LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, new DeliveryLog()))
            .ToList();
        var hosts = await Task.WhenAll(starts);
        try
        {
            var applied = await hosts[0].InDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList());
            var defined = await hosts[0].InDbAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));
            Assert.Equal(defined, applied); // each migration applied once, in order, whichever instance won the lock
            Assert.Empty(await hosts[2].InDbAsync(async db => (await db.Database.GetPendingMigrationsAsync()).ToList()));

            // The schema is usable from every instance.
            foreach (var host in hosts)
            {
                await host.InDbAsync(async db =>
                {
                    db.Ledgers.Add(new Ledger { Id = Guid.NewGuid(), Name = "王五" });
                    await db.SaveChangesAsync();
                });
            }

            Assert.Equal(3, await hosts[1].InDbAsync(db => db.Ledgers.CountAsync()));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
