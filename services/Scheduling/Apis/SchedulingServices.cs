using Capture.Scheduling.Infrastructure;
using Microsoft.Extensions.Validation;

namespace Capture.Scheduling.Apis;

/// <summary>
/// What the handlers need, injected as one <c>[AsParameters]</c> record. Services, not input: minimal-API validation
/// must not walk into them (it would follow the DbContext's object graph until it gives up with a 500).
/// </summary>
#pragma warning disable ASP0029 // SkipValidation is marked for evaluation in .NET 10; it is how .NET's own samples opt services out.
[SkipValidation]
#pragma warning restore ASP0029
public sealed record SchedulingServices(SchedulingDbContext Db, TimeProvider Time, ILoggerFactory Loggers);
