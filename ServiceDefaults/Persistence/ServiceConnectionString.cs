using System.Data.Common;
using Npgsql;

namespace Capture.ServiceDefaults.Persistence;

/// <summary>
/// The connection settings every service uses for its own database, unless its connection string sets them itself.
/// </summary>
/// <remarks>
/// A service sends the same few statements hundreds of times a second (a check-in queue): with automatic preparation
/// PostgreSQL parses and plans each of them once per connection instead of on every call. A service sets no session
/// state, so a connection returning to the pool needs no reset statement (which would also drop the prepared ones).
/// </remarks>
public static class ServiceConnectionString
{
    public const int MaxAutoPrepare = 64;
    public const int AutoPrepareMinUsages = 2;

    public static string WithDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = given.Keys.Cast<string>().Select(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("MAXAUTOPREPARE"))
        {
            tuned.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!keys.Contains("AUTOPREPAREMINUSAGES"))
        {
            tuned.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }

        if (!keys.Contains("NORESETONCLOSE"))
        {
            tuned.NoResetOnClose = true;
        }

        return tuned.ConnectionString;
    }
}
