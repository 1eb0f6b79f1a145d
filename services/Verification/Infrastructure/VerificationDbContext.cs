using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Capture.Verification.Infrastructure;

/// <summary>
/// Verification's database (schema <c>verification</c>): verification tasks, confirmations and disputes, export batches.
/// </summary>
/// <remarks>
/// Add a migration (the dotnet-ef tool is not obtainable here; the service scaffolds its own):
/// <c>dotnet run --project services/Verification -- migrations add &lt;Name&gt;</c>. Migrations are applied at start.
/// </remarks>
public sealed class VerificationDbContext(DbContextOptions<VerificationDbContext> options) : ServiceDbContext(options)
{
    public const string DatabaseName = "verificationdb";
    public const string SchemaName = "verification";
    public const string RoutePrefix = "/api/verification";

    public override string Schema => SchemaName;
}
