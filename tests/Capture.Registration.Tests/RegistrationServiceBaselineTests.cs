using Capture.Testing;

namespace Capture.Registration.Tests;

/// <summary>The platform baseline (health, migrations, endpoint policies, 401/403) on the Registration service itself.</summary>
public sealed class RegistrationServiceBaselineTests() : ServiceBaselineTests<Program>("registrationdb", "/api/registration");
