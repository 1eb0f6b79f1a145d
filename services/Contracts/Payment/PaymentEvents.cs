namespace Capture.Contracts.Payment;

/// <summary>A registration's capture fee was paid. Amounts are integer fen (分), currency CNY.</summary>
public sealed record PaymentSucceeded(
    Guid PaymentId,
    Guid RegistrationId,
    Guid CampaignId,
    long AmountFen,
    string Currency,
    string Method,
    DateTimeOffset PaidAt);

/// <summary>A payment attempt failed (a campus-card deduction bounced, say); the student may retry.</summary>
public sealed record PaymentFailed(
    Guid PaymentId,
    Guid RegistrationId,
    Guid CampaignId,
    long AmountFen,
    string Reason,
    DateTimeOffset FailedAt);

/// <summary>A paid fee was refunded (the student was not captured, 003 §2.3): the registration counts as unpaid again.</summary>
public sealed record PaymentRefunded(
    Guid RefundId,
    Guid PaymentId,
    Guid RegistrationId,
    Guid CampaignId,
    long AmountFen,
    DateTimeOffset RefundedAt);
