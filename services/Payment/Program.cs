using Capture.Payment.Apis;
using Capture.Payment.Extensions;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;

if (MigrationsCommand.TryRun<PaymentDbContext>(args, options => new PaymentDbContext(options), PaymentDbContext.SchemaName))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPaymentServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapOutboxApi(PaymentDbContext.RoutePrefix);
app.MapOrdersApi();
app.MapNotifyApi();
app.MapRefundsApi();
app.MapCashApi();
app.MapCardBatchApi();
app.MapCardRefundBatchApi();
app.MapReconciliationApi();
app.Run();
