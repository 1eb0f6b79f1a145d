using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Capture.Scheduling.Infrastructure;

public static class PostgresErrors
{
    public static bool IsUniqueViolation(this DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public static bool IsCheckViolation(this DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.CheckViolation };
}
