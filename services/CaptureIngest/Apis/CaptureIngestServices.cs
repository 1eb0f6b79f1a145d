using Capture.CaptureIngest.Infrastructure;
using Capture.ServiceDefaults.Storage;
using Microsoft.Extensions.Options;

namespace Capture.CaptureIngest.Apis;

/// <summary>What every CaptureIngest handler needs, bound with <c>[AsParameters]</c>.</summary>
public sealed record CaptureIngestServices(
    CaptureIngestDbContext Db,
    IObjectStorage Storage,
    TimeProvider Time,
    CaptureMetrics Metrics,
    IOptions<CaptureOptions> Options,
    RawPhotoHandoff Handoff,
    ILoggerFactory Loggers);
