using Capture.Testing;

namespace Capture.Verification.Tests;

/// <summary>The platform baseline (health, migrations, endpoint policies, 401/403) on the Verification service itself.</summary>
public sealed class VerificationServiceBaselineTests() : ServiceBaselineTests<Program>("verificationdb", "/api/verification", usesObjectStorage: true);
