using Capture.Testing;

namespace Capture.Scheduling.Tests;

/// <summary>The platform baseline (health, migrations, endpoint policies, 401/403) on the Scheduling service itself.</summary>
public sealed class SchedulingServiceBaselineTests() : ServiceBaselineTests<Program>("schedulingdb", "/api/scheduling");
