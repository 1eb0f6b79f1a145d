using System.Buffers.Binary;
using Npgsql;

namespace Capture.Verification.Infrastructure;

/// <summary>
/// The right to build one export batch, exclusive across instances: a PostgreSQL session-level advisory lock keyed by
/// the batch id, held on a connection of its own for the whole build. The connection is not pooled (the service's pool
/// does not reset sessions, so a lock must never go back into it): closing it ends the session and frees the lock, and
/// an instance that dies loses its connection and with it the lock, so a survivor can finish the batch.
/// </summary>
public sealed class ExportLease : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly long key;

    private ExportLease(NpgsqlConnection connection, long key)
    {
        this.connection = connection;
        this.key = key;
    }

    /// <summary>The advisory lock key of a batch: both halves of its id folded together (a v7 id's first half is mostly its time).</summary>
    public static long KeyOf(Guid batchId)
    {
        Span<byte> bytes = stackalloc byte[16];
        batchId.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes) ^ BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
    }

    /// <summary>Takes the batch's lock without waiting; null when another session (another instance) holds it.</summary>
    public static async Task<ExportLease?> TryTakeAsync(string connectionString, Guid batchId, CancellationToken ct)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 };
        var connection = new NpgsqlConnection(settings.ConnectionString);
        var key = KeyOf(batchId);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } };
            if (await command.ExecuteScalarAsync(ct) is true)
            {
                return new ExportLease(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Whether the lock is still held: its connection still answers (a dropped connection has lost the lock).</summary>
    public async Task<bool> IsHeldAsync(CancellationToken ct)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = key } } };
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection is gone, and the lock with it.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
