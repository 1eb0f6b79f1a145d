using Capture.ServiceDefaults.Storage;
using Capture.Verification.Infrastructure;
using Microsoft.Extensions.Options;

namespace Capture.Verification.Apis;

/// <summary>What every Verification handler needs, bound with <c>[AsParameters]</c>.</summary>
public sealed record VerificationServices(
    VerificationDbContext Db,
    IObjectStorage Storage,
    TimeProvider Time,
    IOptions<VerificationOptions> Options,
    ILoggerFactory Loggers);
