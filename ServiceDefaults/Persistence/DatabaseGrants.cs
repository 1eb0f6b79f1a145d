using Npgsql;

namespace Capture.ServiceDefaults.Persistence;

/// <summary>
/// What a service's own login needs and no more: read and write the rows of its schema, never change the schema.
/// The migrations Job (the owner) grants it after each migration, including default privileges, so the tables and
/// sequences later migrations create are covered as well.
/// </summary>
public static class DatabaseGrants
{
    public static async Task GrantDataAccessAsync(string ownerConnectionString, string schema, string role, CancellationToken cancellationToken)
    {
        var s = Quote(schema);
        var r = Quote(role);
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var grant = new NpgsqlCommand(
            $"""
            GRANT USAGE ON SCHEMA {s} TO {r};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {s} TO {r};
            ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r};
            ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {r};
            """,
            connection);
        await grant.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
