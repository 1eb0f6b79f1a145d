using Capture.Payment.Infrastructure;
using Capture.Payment.Infrastructure.WeChatPay;
using Microsoft.Extensions.Options;

namespace Capture.Payment.Apis;

/// <summary>What the handlers need, injected as one <c>[AsParameters]</c> record.</summary>
public sealed record PaymentServices(
    PaymentDbContext Db, TimeProvider Time, IPaymentProvider Provider, RefundSignal Refunds, IOptions<WeChatPayOptions> Wechat, ILogger<PaymentServices> Logger);
