using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// Payment's database (schema <c>payment</c>): fee policies, payment orders, callbacks, vouchers, refunds.
/// </summary>
/// <remarks>
/// Add a migration (the dotnet-ef tool is not obtainable here; the service scaffolds its own):
/// <c>dotnet run --project services/Payment -- migrations add &lt;Name&gt;</c>. Migrations are applied at start.
/// </remarks>
public sealed class PaymentDbContext(DbContextOptions<PaymentDbContext> options) : ServiceDbContext(options)
{
    public const string DatabaseName = "paymentdb";
    public const string SchemaName = "payment";
    public const string RoutePrefix = "/api/payment";

    public override string Schema => SchemaName;
}
