using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Capture.PaymentProviderSimulator;

/// <summary>
/// The simulator: WeChat Pay API v3's merchant-facing endpoints (Native and JSAPI orders, order query and close,
/// refund and refund query, trade bill) with signed requests and responses, payment and refund notifies, plus a control
/// API (<c>/sim/...</c>) standing in for the student's phone (scanning a code, or paying inside WeChat with the
/// merchant-signed <c>wx.requestPayment</c> parameters) and for the things a test or a person wants to make happen
/// (pay, fail, duplicate, delay, drop, slow or failing refunds, sign a notify).
/// </summary>
public static class SimulatorApp
{
    private const int MaxBodyBytes = 64 * 1024;

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            // Run by hand (dotnet run): loopback only, on the port the AppHost gives it too.
            builder.WebHost.UseUrls("http://127.0.0.1:5190");
        }

        builder.Services.Configure<SimulatorOptions>(builder.Configuration.GetSection("Simulator"));
        builder.Services.AddSingleton<ProviderState>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NotifySender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotifySender>());
        builder.Services.AddHttpClient(NotifySender.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGet("/health", () => TypedResults.Ok(new { status = "Healthy" }));
        MapProviderApi(app);
        MapControlApi(app);
        return app;
    }

    private static void MapProviderApi(WebApplication app)
    {
        app.MapPost("/v3/pay/transactions/native", async (HttpContext http, ProviderState state, TimeProvider time) =>
        {
            var (merchant, body, error) = await AuthenticateAsync(http, state, time);
            if (error is not null)
            {
                return error;
            }

            var json = ParseObject(body);
            var outTradeNo = json?["out_trade_no"]?.GetValue<string>();
            var total = json?["amount"]?["total"]?.GetValue<long>();
            var currency = json?["amount"]?["currency"]?.GetValue<string>() ?? "CNY";
            var notifyUrl = json?["notify_url"]?.GetValue<string>();
            if (json?["mchid"]?.GetValue<string>() != merchant!.Mchid || outTradeNo is not { Length: >= 6 and <= 32 } || total is not > 0 || notifyUrl is null
                || !Uri.TryCreate(notifyUrl, UriKind.Absolute, out _))
            {
                return Signed(http, state, 400, new { code = "PARAM_ERROR", message = "mchid, out_trade_no (6-32), amount.total (> 0) and notify_url are required" });
            }

            var order = state.Orders.GetOrAdd(ProviderState.Key(merchant.Mchid, outTradeNo), _ =>
            {
                var created = new SimOrder
                {
                    Merchant = merchant,
                    OutTradeNo = outTradeNo,
                    Description = json!["description"]?.GetValue<string>() ?? "",
                    NotifyUrl = notifyUrl,
                    AmountFen = total.Value,
                    Currency = currency,
                    CodeToken = ProviderCrypto.Nonce(16),
                    CreatedAt = time.GetUtcNow(),
                };
                state.OrdersByCode[created.CodeToken] = created;
                return created;
            });
            if (order.AmountFen != total || order.Currency != currency || order.TradeType != "NATIVE")
            {
                return Signed(http, state, 400, new { code = "INVALID_REQUEST", message = "商户订单号重复: out_trade_no was used with other parameters (amount or trade type)" });
            }

            if (order.State != "NOTPAY")
            {
                return Signed(http, state, 400, new { code = "ORDERPAID", message = "the order is paid or closed" });
            }

            return Signed(http, state, 200, new { code_url = "weixin://wxpay/bizpayurl?pr=" + order.CodeToken });
        });

        app.MapPost("/v3/pay/transactions/jsapi", async (HttpContext http, ProviderState state, TimeProvider time) =>
        {
            var (merchant, body, error) = await AuthenticateAsync(http, state, time);
            if (error is not null)
            {
                return error;
            }

            var json = ParseObject(body);
            var outTradeNo = Text(json, "out_trade_no");
            var total = json?["amount"]?["total"] is JsonValue t && t.TryGetValue<long>(out var fen) ? fen : (long?)null;
            var currency = Text(json?["amount"], "currency") ?? "CNY";
            var notifyUrl = Text(json, "notify_url");
            var openId = Text(json?["payer"], "openid");
            if (Text(json, "mchid") != merchant!.Mchid || outTradeNo is not { Length: >= 6 and <= 32 } || total is not > 0 || notifyUrl is null
                || !Uri.TryCreate(notifyUrl, UriKind.Absolute, out _))
            {
                return Signed(http, state, 400, new { code = "PARAM_ERROR", message = "mchid, out_trade_no (6-32), amount.total (> 0) and notify_url are required" });
            }

            if (Text(json, "appid") != merchant.Appid)
            {
                return Signed(http, state, 400, new { code = "PARAM_ERROR", message = "appid和mch_id不匹配: appid is not the merchant's" });
            }

            if (openId is not { Length: > 0 and <= 128 } || !openId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return Signed(http, state, 400, new { code = "PARAM_ERROR", message = "payer.openid is required: 1-128 of A-Z a-z 0-9 _ -" });
            }

            var order = state.Orders.GetOrAdd(ProviderState.Key(merchant.Mchid, outTradeNo), _ =>
            {
                var created = new SimOrder
                {
                    Merchant = merchant,
                    OutTradeNo = outTradeNo,
                    Description = Text(json, "description") ?? "",
                    NotifyUrl = notifyUrl,
                    AmountFen = total.Value,
                    Currency = currency,
                    CodeToken = ProviderCrypto.Nonce(16),
                    TradeType = "JSAPI",
                    PayerOpenId = openId,
                    PrepayId = "wx" + time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("ddHHmmss", CultureInfo.InvariantCulture) + ProviderCrypto.Nonce(24).ToLowerInvariant(),
                    CreatedAt = time.GetUtcNow(),
                };
                state.OrdersByPrepay[created.PrepayId] = created;
                return created;
            });
            if (order.AmountFen != total || order.Currency != currency || order.TradeType != "JSAPI" || order.PayerOpenId != openId)
            {
                return Signed(http, state, 400, new { code = "INVALID_REQUEST", message = "商户订单号重复: out_trade_no was used with other parameters (amount, trade type or payer)" });
            }

            if (order.State != "NOTPAY")
            {
                return Signed(http, state, 400, new { code = "ORDERPAID", message = "the order is paid or closed" });
            }

            return Signed(http, state, 200, new { prepay_id = order.PrepayId });
        });

        app.MapPost("/v3/pay/transactions/out-trade-no/{outTradeNo}/close", async (string outTradeNo, HttpContext http, ProviderState state, TimeProvider time) =>
        {
            var (merchant, body, error) = await AuthenticateAsync(http, state, time);
            if (error is not null)
            {
                return error;
            }

            if (Text(ParseObject(body), "mchid") != merchant!.Mchid)
            {
                return Signed(http, state, 400, new { code = "PARAM_ERROR", message = "mchid is required" });
            }

            if (state.Behaviour.FailCloses)
            {
                return Signed(http, state, 500, new { code = "SYSTEM_ERROR", message = "simulated close failure" });
            }

            if (!state.Orders.TryGetValue(ProviderState.Key(merchant.Mchid, outTradeNo), out var order))
            {
                return Signed(http, state, 404, new { code = "ORDER_NOT_EXIST", message = "no such order" });
            }

            lock (order)
            {
                if (order.State is "SUCCESS" or "REFUND")
                {
                    return Signed(http, state, 400, new { code = "ORDERPAID", message = "订单已支付: the order is paid and cannot be closed" });
                }

                order.State = "CLOSED";
            }

            return Signed(http, state, 204, null);
        });

        app.MapGet("/v3/pay/transactions/out-trade-no/{outTradeNo}", async (string outTradeNo, HttpContext http, ProviderState state, TimeProvider time) =>
        {
            var (merchant, _, error) = await AuthenticateAsync(http, state, time);
            if (error is not null)
            {
                return error;
            }

            if (!state.Orders.TryGetValue(ProviderState.Key(merchant!.Mchid, outTradeNo), out var order))
            {
                return Signed(http, state, 404, new { code = "ORDER_NOT_EXIST", message = "no such order" });
            }

            lock (order)
            {
                return Signed(http, state, 200, Transactions.Of(order));
            }
        });

        app.MapPost("/v3/refund/domestic/refunds", async (HttpContext http, ProviderState state, NotifySender sender, TimeProvider time) =>
        {
            var (merchant, body, error) = await AuthenticateAsync(http, state, time);
            if (error is not null)
            {
                return error;
            }

            var json = ParseObject(body);
            var outTradeNo = Text(json, "out_trade_no");
            var outRefundNo = Text(json, "out_refund_no");
            var refundFen = json?["amount"]?["refund"] is JsonValue v && v.TryGetValue<long>(out var fen) ? fen : (long?)null;
            var notifyUrl = Text(json, "notify_url");
            if (outTradeNo is null || outRefundNo is not { Length: > 0 and <= 64 } || refundFen is not > 0
                || (notifyUrl is not null && !Uri.TryCreate(notifyUrl, UriKind.Absolute, out _)))
            {
                return Signed(http, state, 400, new { code = "PARAM_ERROR", message = "out_trade_no, out_refund_no and amount.refund (> 0) are required; notify_url, when given, an absolute URL" });
            }

            if (!state.Orders.TryGetValue(ProviderState.Key(merchant!.Mchid, outTradeNo), out var order))
            {
                return Signed(http, state, 404, new { code = "RESOURCE_NOT_EXISTS", message = "no such order" });
            }

            SimRefund? refund;
            lock (order)
            {
                refund = order.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo);
                if (refund is null)
                {
                    if (order.State is not ("SUCCESS" or "REFUND"))
                    {
                        return Signed(http, state, 400, new { code = "INVALID_REQUEST", message = "the order is not paid" });
                    }

                    if (order.Refunds.Sum(r => r.AmountFen) + refundFen > order.AmountFen)
                    {
                        return Signed(http, state, 400, new { code = "NOT_ENOUGH", message = "the refund exceeds what was paid" });
                    }

                    var behaviour = state.Behaviour;
                    refund = new SimRefund
                    {
                        OutRefundNo = outRefundNo,
                        RefundId = "50" + RandomNumberGenerator.GetString("0123456789", 27),
                        AmountFen = refundFen.Value,
                        CreatedAt = time.GetUtcNow(),
                        ProcessingLeft = behaviour.RefundProcessingTimes,
                        FinishAt = behaviour.RefundProcessingMs > 0 ? time.GetUtcNow().AddMilliseconds(behaviour.RefundProcessingMs) : null,
                        Outcome = behaviour.RefundOutcome is "ABNORMAL" or "CLOSED" ? behaviour.RefundOutcome : "SUCCESS",
                        NotifyUrl = notifyUrl,
                        DropNotify = behaviour.DropRefundNotifies,
                        DuplicateNotifies = behaviour.DuplicateRefundNotifies,
                        QueryLag = TimeSpan.FromMilliseconds(behaviour.RefundQueryLagMs),
                    };
                    order.Refunds.Add(refund);
                    order.State = "REFUND";
                    Refunds.Schedule(order, refund, sender, time);
                }
            }

            Refunds.Advance(order, refund, sender, time);
            lock (order)
            {
                return Signed(http, state, 200, Refunds.Answer(order, refund, time.GetUtcNow()));
            }
        });

        app.MapGet("/v3/refund/domestic/refunds/{outRefundNo}", async (string outRefundNo, HttpContext http, ProviderState state, NotifySender sender, TimeProvider time) =>
        {
            var (merchant, _, error) = await AuthenticateAsync(http, state, time);
            if (error is not null)
            {
                return error;
            }

            SimRefund? Find(SimOrder o)
            {
                lock (o)
                {
                    return o.Merchant.Mchid == merchant!.Mchid ? o.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo) : null;
                }
            }

            var order = state.Orders.Values.FirstOrDefault(o => Find(o) is not null);
            var refund = order is null ? null : Find(order);
            if (order is null || refund is null)
            {
                return Signed(http, state, 404, new { code = "RESOURCE_NOT_EXISTS", message = "no such refund" });
            }

            Refunds.Advance(order, refund, sender, time);
            lock (order)
            {
                return Signed(http, state, 200, Refunds.Answer(order, refund, time.GetUtcNow()));
            }
        });

        app.MapGet("/v3/bill/tradebill", async (string? bill_date, HttpContext http, ProviderState state, TimeProvider time) =>
        {
            var (merchant, _, error) = await AuthenticateAsync(http, state, time);
            if (error is not null)
            {
                return error;
            }

            if (!DateOnly.TryParseExact(bill_date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return Signed(http, state, 400, new { code = "PARAM_ERROR", message = "bill_date must be yyyy-MM-dd" });
            }

            var csv = Bill.TradeBill(state, merchant!, date);
            var token = ProviderCrypto.Nonce(24);
            state.BillTokens[token] = csv;
            var origin = $"{http.Request.Scheme}://{http.Request.Host}";
            return Signed(http, state, 200, new
            {
                hash_type = "SHA1",
                hash_value = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(csv))).ToLowerInvariant(),
                download_url = $"{origin}/v3/billdownload/file?token={token}",
            });
        });

        app.MapGet("/v3/billdownload/file", async (string? token, HttpContext http, ProviderState state, TimeProvider time) =>
        {
            var (_, _, error) = await AuthenticateAsync(http, state, time);
            if (error is not null)
            {
                return error;
            }

            return token is not null && state.BillTokens.TryGetValue(token, out var csv)
                ? Results.Text(csv, "text/csv", Encoding.UTF8)
                : Signed(http, state, 404, new { code = "RESOURCE_NOT_EXISTS", message = "no such bill" });
        });
    }

    private static void MapControlApi(WebApplication app)
    {
        // Enrol a merchant: its public key and serial; the simulator answers the merchant id, app id, API v3 key and its platform key.
        app.MapPost("/sim/merchants", (EnrolRequest request, ProviderState state) =>
        {
            if (request.SerialNo is not { Length: > 0 and <= 64 } || request.PublicKeyPem is not { Length: > 0 and <= 4096 })
            {
                return Results.Problem(statusCode: 400, detail: "serialNo (1-64 characters) and publicKeyPem (a PEM public key) are required.");
            }

            var key = RSA.Create();
            try
            {
                key.ImportFromPem(request.PublicKeyPem);
            }
            catch (ArgumentException)
            {
                return Results.Problem(statusCode: 400, detail: "publicKeyPem is not a PEM RSA public key.");
            }

            var merchant = new Merchant("19" + RandomNumberGenerator.GetString("0123456789", 8), "wxsim" + ProviderCrypto.Nonce(13).ToLowerInvariant(), request.SerialNo, key, ProviderCrypto.Nonce(32));
            state.Merchants[merchant.Mchid] = merchant;
            return Results.Ok(new { mchid = merchant.Mchid, appid = merchant.Appid, apiV3Key = merchant.ApiV3Key, platformSerial = state.PlatformSerial, platformPublicKeyPem = state.PlatformKey.ExportSubjectPublicKeyInfoPem() });
        });

        app.MapGet("/sim/merchants", (ProviderState state) => Results.Ok(state.Merchants.Values.Select(m => new { m.Mchid, m.Appid }).ToList()));

        app.MapGet("/sim/behaviour", (ProviderState state) => Results.Ok(state.Behaviour));
        app.MapPost("/sim/behaviour", (Behaviour behaviour, ProviderState state) =>
        {
            state.Behaviour = behaviour;
            return Results.Ok(behaviour);
        });

        // The student's phone: pay an order (by merchant order number), optionally overriding the behaviour for this payment.
        app.MapPost("/sim/orders/{outTradeNo}/pay", (string outTradeNo, PayRequest? request, ProviderState state, NotifySender sender, TimeProvider time) =>
        {
            var order = state.Orders.Values.FirstOrDefault(o => o.OutTradeNo == outTradeNo);
            return order is null ? Results.NotFound(new { code = "ORDER_NOT_EXIST" }) : Pay(order, request, state, sender, time);
        });

        // The student's WeChat paying an in-app order: what wx.requestPayment / WeixinJSBridge sends, checked as WeChat does
        // (the prepay, the appid, and paySign against the merchant's public key), then paid and notified like a scanned code.
        app.MapPost("/sim/jsapi/pay", (JsapiPayRequest r, ProviderState state, NotifySender sender, TimeProvider time) =>
        {
            static IResult Fail(string why) => Results.BadRequest(new { errMsg = "requestPayment:fail " + why });

            if (r.Package is not { Length: > 11 and <= 128 } package || !package.StartsWith("prepay_id=", StringComparison.Ordinal)
                || !state.OrdersByPrepay.TryGetValue(package["prepay_id=".Length..], out var order))
            {
                return Fail("package must be prepay_id=<a prepay_id the provider issued>");
            }

            if (r.AppId != order.Merchant.Appid)
            {
                return Fail("appId is not the appid the prepay was made for");
            }

            if (r.SignType != "RSA")
            {
                return Fail("signType must be RSA");
            }

            if (r.TimeStamp is not { Length: > 0 and <= 10 } ts || !ts.All(char.IsAsciiDigit) || r.NonceStr is not { Length: > 0 and <= 32 } nonce)
            {
                return Fail("timeStamp (Unix seconds) and nonceStr (1-32 characters) are required");
            }

            if (r.PaySign is null || !ProviderCrypto.Verify(order.Merchant.PublicKey, $"{r.AppId}\n{ts}\n{nonce}\n{package}\n", r.PaySign))
            {
                return Fail("paySign does not verify against the merchant's key over appId, timeStamp, nonceStr and package");
            }

            if (r.Openid is not null && r.Openid != order.PayerOpenId)
            {
                return Fail("this WeChat user is not the payer the order was made for");
            }

            var paid = Pay(order, new PayRequest(r.Fail, r.DuplicateNotifies, r.NotifyDelayMs, r.DropNotify), state, sender, time);
            return paid is IStatusCodeHttpResult { StatusCode: 200 } ? Results.Ok(new { errMsg = "requestPayment:ok", order.OutTradeNo }) : paid;
        });

        // The page a code_url stands for (scan → this page → "pay").
        app.MapGet("/sim/pay/{code}", (string code, ProviderState state) =>
            state.OrdersByCode.TryGetValue(code, out var o)
                ? Results.Content($"<!doctype html><meta charset=utf-8><title>WeChat Pay (simulator)</title><h1>{System.Net.WebUtility.HtmlEncode(o.Description)}</h1><p>¥{o.AmountFen / 100m:0.00} — {o.State}</p><form method=post><button>Pay</button></form>", "text/html; charset=utf-8")
                : Results.NotFound());
        app.MapPost("/sim/pay/{code}", (string code, ProviderState state, NotifySender sender, TimeProvider time) =>
            state.OrdersByCode.TryGetValue(code, out var o) ? Pay(o, null, state, sender, time) : Results.NotFound());

        app.MapGet("/sim/orders/{outTradeNo}", (string outTradeNo, ProviderState state) =>
        {
            var o = state.Orders.Values.FirstOrDefault(x => x.OutTradeNo == outTradeNo);
            if (o is null)
            {
                return Results.NotFound();
            }

            lock (o)
            {
                return Results.Ok(new
                {
                    o.OutTradeNo,
                    o.State,
                    o.TradeType,
                    o.PayerOpenId,
                    o.PrepayId,
                    o.AmountFen,
                    o.Currency,
                    o.TransactionId,
                    o.NotifiesDelivered,
                    NotifyAttempts = o.NotifyAttempts.ToList(),
                    Refunds = o.Refunds.Select(r => new { r.OutRefundNo, r.RefundId, r.AmountFen, r.Status, r.NotifiesDelivered, NotifyAttempts = r.NotifyAttempts.ToList() }).ToList(),
                });
            }
        });

        // A genuinely signed notify with whatever content a test asks for (amount, currency, order, timestamp, nonce), returned, not sent.
        app.MapPost("/sim/notifications/sign", (SignRequest r, ProviderState state, TimeProvider time) =>
        {
            if (r.Mchid is null || !state.Merchants.TryGetValue(r.Mchid, out var merchant))
            {
                return Results.Problem(statusCode: 400, detail: "mchid must name an enrolled merchant.");
            }

            if (r.EventType?.StartsWith("REFUND.", StringComparison.Ordinal) == true)
            {
                var refund = new
                {
                    mchid = merchant.Mchid,
                    transaction_id = r.TransactionId ?? "42" + RandomNumberGenerator.GetString("0123456789", 26),
                    out_trade_no = r.OutTradeNo,
                    refund_id = "50" + RandomNumberGenerator.GetString("0123456789", 27),
                    out_refund_no = r.OutRefundNo,
                    refund_status = r.RefundStatus ?? r.EventType["REFUND.".Length..],
                    success_time = Local(time.GetUtcNow()),
                    user_received_account = "支付用户零钱",
                    amount = new { total = r.AmountFen, refund = r.RefundFen ?? r.AmountFen, payer_total = r.AmountFen, payer_refund = r.RefundFen ?? r.AmountFen },
                };
                var (refundHeaders, refundBody) = Notifications.Build(state, merchant, refund, r.EventType, time.GetUtcNow(), r.Timestamp, r.Nonce, Notifications.Refund);
                return Results.Ok(new { headers = refundHeaders, body = refundBody });
            }

            var transaction = new
            {
                appid = merchant.Appid,
                mchid = merchant.Mchid,
                out_trade_no = r.OutTradeNo,
                transaction_id = r.TransactionId ?? "42" + RandomNumberGenerator.GetString("0123456789", 26),
                trade_type = "NATIVE",
                trade_state = r.TradeState ?? "SUCCESS",
                trade_state_desc = "支付成功",
                success_time = Local(time.GetUtcNow()),
                amount = new { total = r.AmountFen, payer_total = r.AmountFen, currency = r.Currency ?? "CNY", payer_currency = r.Currency ?? "CNY" },
            };
            var (headers, body) = Notifications.Build(state, merchant, transaction, r.EventType ?? "TRANSACTION.SUCCESS", time.GetUtcNow(), r.Timestamp, r.Nonce);
            return Results.Ok(new { headers, body });
        });
    }

    private static IResult Pay(SimOrder order, PayRequest? request, ProviderState state, NotifySender sender, TimeProvider time)
    {
        var behaviour = state.Behaviour;
        var fail = request?.Fail ?? behaviour.FailPayments;
        lock (order)
        {
            if (order.State != "NOTPAY")
            {
                return Results.Conflict(new { code = "ORDERPAID", message = $"the order is {order.State}" });
            }

            if (fail)
            {
                order.State = "PAYERROR";
                return Results.Ok(new { order.OutTradeNo, order.State });
            }

            order.State = "SUCCESS";
            order.TransactionId = "42" + RandomNumberGenerator.GetString("0123456789", 26);
            order.SuccessTime = time.GetUtcNow();
        }

        if (!(request?.DropNotify ?? behaviour.DropNotifies))
        {
            sender.Enqueue(new NotifyJob(order, request?.DuplicateNotifies ?? behaviour.DuplicateNotifies, TimeSpan.FromMilliseconds(request?.NotifyDelayMs ?? behaviour.NotifyDelayMs)));
        }

        return Results.Ok(new { order.OutTradeNo, order.State, order.TransactionId });
    }

    /// <summary>Checks the merchant's <c>Authorization</c> signature over <c>METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n</c>.</summary>
    private static async Task<(Merchant? Merchant, string Body, IResult? Error)> AuthenticateAsync(HttpContext http, ProviderState state, TimeProvider time)
    {
        if (state.Behaviour.Down)
        {
            return (null, "", Results.Json(new { code = "SYSTEM_ERROR", message = "simulated outage" }, statusCode: 500));
        }

        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var auth = ProviderCrypto.ParseAuthorization(http.Request.Headers.Authorization.ToString());
        if (auth is null || !auth.TryGetValue("mchid", out var mchid) || !auth.TryGetValue("serial_no", out var serial)
            || !auth.TryGetValue("timestamp", out var ts) || !auth.TryGetValue("nonce_str", out var nonce) || !auth.TryGetValue("signature", out var signature)
            || !long.TryParse(ts, out var timestamp))
        {
            return (null, body, Signed(http, state, 401, new { code = "SIGN_ERROR", message = "Authorization must be WECHATPAY2-SHA256-RSA2048 with mchid, nonce_str, signature, timestamp, serial_no" }));
        }

        if (!state.Merchants.TryGetValue(mchid, out var merchant) || merchant.SerialNo != serial)
        {
            return (null, body, Signed(http, state, 401, new { code = "SIGN_ERROR", message = "unknown merchant or certificate serial" }));
        }

        var pathAndQuery = http.Request.Path + http.Request.QueryString;
        if (Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - timestamp) > 300
            || !ProviderCrypto.Verify(merchant.PublicKey, $"{http.Request.Method}\n{pathAndQuery}\n{timestamp}\n{nonce}\n{body}\n", signature))
        {
            return (null, body, Signed(http, state, 401, new { code = "SIGN_ERROR", message = "signature does not verify" }));
        }

        return (merchant, body, null);
    }

    /// <summary>A JSON answer (or, for null, an empty one) signed by the platform key, as every WeChat Pay v3 answer is.</summary>
    private static IResult Signed(HttpContext http, ProviderState state, int status, object? payload)
    {
        var body = payload is null ? "" : JsonSerializer.Serialize(payload, Json.Options);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var nonce = ProviderCrypto.Nonce();
        http.Response.Headers["Wechatpay-Timestamp"] = ts.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["Wechatpay-Nonce"] = nonce;
        http.Response.Headers["Wechatpay-Serial"] = state.PlatformSerial;
        http.Response.Headers["Wechatpay-Signature"] = ProviderCrypto.Sign(state.PlatformKey, $"{ts}\n{nonce}\n{body}\n");
        http.Response.Headers["Request-ID"] = Guid.NewGuid().ToString();
        return payload is null ? Results.StatusCode(status) : Results.Text(body, "application/json", Encoding.UTF8, status);
    }

    private static JsonObject? ParseObject(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static string Local(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

public sealed record EnrolRequest(string? SerialNo, string? PublicKeyPem);

public sealed record PayRequest(bool? Fail = null, int? DuplicateNotifies = null, int? NotifyDelayMs = null, bool? DropNotify = null);

/// <summary>What WeChat's wx.requestPayment sends (the merchant-signed parameters), with the WeChat user paying and this payment's behaviour.</summary>
public sealed record JsapiPayRequest(
    string? AppId, string? TimeStamp, string? NonceStr, string? Package, string? SignType, string? PaySign, string? Openid = null,
    bool? Fail = null, int? DuplicateNotifies = null, int? NotifyDelayMs = null, bool? DropNotify = null);

/// <summary>A notify to sign: a payment (TRANSACTION.*), or with EventType REFUND.* a refund of <see cref="OutRefundNo"/> (<see cref="RefundFen"/>, default the whole amount).</summary>
public sealed record SignRequest(
    string? Mchid, string OutTradeNo, long AmountFen, string? Currency = null, string? TradeState = null, string? TransactionId = null,
    string? EventType = null, long? Timestamp = null, string? Nonce = null, string? OutRefundNo = null, long? RefundFen = null, string? RefundStatus = null);
