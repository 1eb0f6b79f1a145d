using Capture.Payment.Infrastructure;

namespace Capture.Payment.Apis;

/// <summary>What the handlers need, injected as one <c>[AsParameters]</c> record.</summary>
public sealed record PaymentServices(PaymentDbContext Db, TimeProvider Time, IPaymentProvider Provider, RefundSignal Refunds, ILogger<PaymentServices> Logger);
