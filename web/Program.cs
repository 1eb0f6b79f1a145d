using Capture.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddCaptureWeb();

var app = builder.Build();
app.UseCaptureWeb();
app.Run();
