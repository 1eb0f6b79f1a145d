using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;
using Capture.Verification.Apis;
using Capture.Verification.Extensions;
using Capture.Verification.Infrastructure;

if (MigrationsCommand.TryRun<VerificationDbContext>(args, options => new VerificationDbContext(options), VerificationDbContext.SchemaName))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddVerificationServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapOutboxApi(VerificationDbContext.RoutePrefix);
app.MapStudentTasksApi();
app.MapStaffTasksApi();
app.MapExportsApi();
app.MapAuditApi();
app.Run();
