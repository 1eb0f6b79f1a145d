using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Capture.Scheduling.Infrastructure;

/// <summary>
/// Takes the next running number of a station's day with one atomic upsert inside the caller's transaction. The
/// counter row stays locked until that transaction ends, so numbers are handed out one at a time per station and day;
/// a transaction that rolls back (a duplicate scan, say) gives its number back, so numbers have no gaps.
/// </summary>
public static class ShootNumberCounter
{
    private const string Sql =
        "INSERT INTO scheduling.station_day_counters (station_id, day, last_sequence) VALUES (@station, @day, 1) "
        + "ON CONFLICT (station_id, day) DO UPDATE SET last_sequence = station_day_counters.last_sequence + 1 "
        + "RETURNING last_sequence";

    public static async Task<int> NextAsync(SchedulingDbContext db, Guid stationId, DateOnly day, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Take a shoot number inside the check-in's transaction.");
        DbConnection connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = Sql;
        command.Parameters.Add(new NpgsqlParameter("station", stationId));
        command.Parameters.Add(new NpgsqlParameter("day", day));
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
