using Capture.Testing;

namespace Capture.Payment.Tests;

/// <summary>The platform baseline (health, migrations, endpoint policies, 401/403) on the Payment service itself.</summary>
public sealed class PaymentServiceBaselineTests() : ServiceBaselineTests<Program>("paymentdb", "/api/payment");
