using Capture.Scheduling.Apis;
using Capture.Scheduling.Extensions;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;

if (MigrationsCommand.TryRun<SchedulingDbContext>(args, options => new SchedulingDbContext(options), SchedulingDbContext.SchemaName))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSchedulingServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapOutboxApi(SchedulingDbContext.RoutePrefix);
app.MapPlacesApi();
app.MapPlanApi();
app.MapStudentApi();
app.MapCheckInApi();
app.MapQueueApi();
app.MapCaptureDayOpsApi();
app.MapMakeupApi();
app.Run();
