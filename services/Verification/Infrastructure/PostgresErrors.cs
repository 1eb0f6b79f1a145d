using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Capture.Verification.Infrastructure;

public static class PostgresErrors
{
    public static bool IsUniqueViolation(this DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
