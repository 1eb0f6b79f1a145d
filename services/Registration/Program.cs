using Capture.Registration.Apis;
using Capture.Registration.Extensions;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;

if (MigrationsCommand.TryRun<RegistrationDbContext>(args, options => new RegistrationDbContext(options), RegistrationDbContext.SchemaName))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddRegistrationServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapOutboxApi(RegistrationDbContext.RoutePrefix);
app.MapCampaignsApi();
app.MapRosterApi();
app.MapRegistrationsApi();
app.MapStudentApi();
app.MapCorrectionsApi();
app.MapCaptureCodesApi();
app.MapPriorCapturesApi();
app.Run();
