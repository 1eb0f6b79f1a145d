using Capture.CaptureIngest.Apis;
using Capture.CaptureIngest.Extensions;
using Capture.CaptureIngest.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;

if (MigrationsCommand.TryRun<CaptureIngestDbContext>(args, options => new CaptureIngestDbContext(options), CaptureIngestDbContext.SchemaName))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCaptureIngestServices();

var app = builder.Build();
UploadReceiver.CleanStale(TimeSpan.FromHours(6));
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapOutboxApi(CaptureIngestDbContext.RoutePrefix);
app.MapPhotosApi();
app.MapVerdictFeedApi();
app.MapHeldPhotosApi();
app.MapOpsApi();
app.Run();
