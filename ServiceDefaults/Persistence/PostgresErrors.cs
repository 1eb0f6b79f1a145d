using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Capture.ServiceDefaults.Persistence;

/// <summary>What a failed save was, for the answers that turn a race into a 409 or a repeat into a 200 (one copy for every service).</summary>
public static class PostgresErrors
{
    public static bool IsUniqueViolation(this DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public static bool IsCheckViolation(this DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.CheckViolation };
}
