using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>
/// CaptureIngest's database (schema <c>capture_ingest</c>): photo-to-student bindings, standardization and quality records. The photos themselves are in object storage.
/// </summary>
/// <remarks>
/// Add a migration (the dotnet-ef tool is not obtainable here; the service scaffolds its own):
/// <c>dotnet run --project services/CaptureIngest -- migrations add &lt;Name&gt;</c>. Migrations are applied at start.
/// </remarks>
public sealed class CaptureIngestDbContext(DbContextOptions<CaptureIngestDbContext> options) : ServiceDbContext(options)
{
    public const string DatabaseName = "capturedb";
    public const string SchemaName = "capture_ingest";
    public const string RoutePrefix = "/api/capture";

    public override string Schema => SchemaName;
}
