using Capture.Scheduling.Infrastructure;

namespace Capture.Scheduling.Apis;

/// <summary>What the handlers need, injected as one <c>[AsParameters]</c> record.</summary>
public sealed record SchedulingServices(SchedulingDbContext Db, TimeProvider Time, ILoggerFactory Loggers);
