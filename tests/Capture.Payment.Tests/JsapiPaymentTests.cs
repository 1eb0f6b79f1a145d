using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure.WeChatPay;
using Capture.PaymentProviderSimulator;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Payment.Tests;

/// <summary>
/// Paying inside WeChat (JSAPI): the order made at the simulator for the student's openid, the wx.requestPayment
/// parameters signed by the merchant key and checked by the simulator as WeChat checks them, the notify as for a QR code.
/// </summary>
public sealed class JsapiPaymentTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    private static string NewOpenId() => "oUpF8u" + Guid.NewGuid().ToString("N")[..22];

    private async Task<WeChatPayCredentials> MerchantAsync() =>
        await app.Service.Services.GetRequiredService<WeChatPayCredentialStore>().GetAsync(CancellationToken.None);

    [Fact]
    public async Task A_student_pays_inside_WeChat_with_the_signed_parameters_and_the_notify_makes_the_order_paid_once()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        var openId = NewOpenId();

        var view = await world.StartJsapiAsync(student, openId);

        var merchant = await MerchantAsync();
        var pay = view.Pay;
        Assert.Equal((merchant.AppId, "RSA", 3000L), (pay.AppId, pay.SignType, view.AmountFen));
        Assert.StartsWith("prepay_id=wx", pay.Package);
        Assert.InRange(long.Parse(pay.TimeStamp), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.Equal(32, pay.NonceStr.Length);
        // Checked with the simulator's own implementation, not the adapter's: base64 SHA256-RSA over appId\ntimeStamp\nnonceStr\npackage\n.
        using var merchantPublic = RSA.Create();
        merchantPublic.ImportFromPem(merchant.MerchantKey.ExportSubjectPublicKeyInfoPem());
        Assert.True(ProviderCrypto.Verify(merchantPublic, $"{pay.AppId}\n{pay.TimeStamp}\n{pay.NonceStr}\n{pay.Package}\n", pay.PaySign));

        using var paid = await world.PayInWeChatAsync(pay, openId);
        Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());
        Assert.Equal("requestPayment:ok", (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errMsg").GetString());

        var order = await world.OrderWhenAsync(student, OrderStatus.Paid);
        Assert.Equal((PaymentMethods.Online, PaymentChannels.Jsapi, openId), (order.Method, order.Channel, order.PayerOpenId));
        Assert.Matches("^PZ[0-9]{8}$", order.VoucherNumber!);
        var atProvider = await world.SimulatorOrderAsync(order.OutTradeNo);
        Assert.Equal(("JSAPI", openId, "SUCCESS"), (atProvider.GetProperty("tradeType").GetString(), atProvider.GetProperty("payerOpenId").GetString(), atProvider.GetProperty("state").GetString()));
        await Eventually.TrueAsync(async () => (await world.SimulatorOrderAsync(order.OutTradeNo)).GetProperty("notifiesDelivered").GetInt32() == 1, what: "the notify delivered");
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", order.Id));
    }

    [Fact]
    public async Task Starting_twice_reuses_the_prepay_signed_anew_and_only_one_payment_is_possible()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(1500);
        var openId = NewOpenId();

        var first = await world.StartJsapiAsync(student, openId);
        var second = await world.StartJsapiAsync(student, openId);

        Assert.Equal(first.Pay.Package, second.Pay.Package);
        Assert.NotEqual(first.Pay.NonceStr, second.Pay.NonceStr);
        var order = await world.OrderAsync(student);
        Assert.Equal("prepay_id=" + order.PrepayId, first.Pay.Package);

        using (var paid = await world.PayInWeChatAsync(second.Pay, openId))
        {
            Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());
        }

        using (var again = await world.PayInWeChatAsync(first.Pay, openId))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        var done = await world.OrderWhenAsync(student, OrderStatus.Paid);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", done.Id));
        using var client = world.Student(student);
        using var afterPaid = await client.PostAsJsonAsync($"{Prefix}/me/orders/{done.Id}/jsapi", new { openid = openId });
        Assert.Equal(HttpStatusCode.Conflict, afterPaid.StatusCode);
    }

    [Fact]
    public async Task Parameters_changed_or_signed_with_another_key_are_refused_by_WeChat_and_the_order_stays_unpaid()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        var openId = NewOpenId();
        var pay = (await world.StartJsapiAsync(student, openId)).Pay;
        using var stranger = RSA.Create(2048);
        var forged = ProviderCrypto.Sign(stranger, $"{pay.AppId}\n{pay.TimeStamp}\n{pay.NonceStr}\n{pay.Package}\n");

        object[] tampered =
        [
            new { nonceStr = (pay.NonceStr[0] == 'X' ? "Y" : "X") + pay.NonceStr[1..] },
            new { timeStamp = (long.Parse(pay.TimeStamp) + 1).ToString() },
            new { paySign = forged },
            new { paySign = "not base64 at all" },
            new { appId = "wxsomeoneelse" },
            new { signType = "MD5" },
            new { package = "prepay_id=wx000000" },
        ];
        foreach (var change in tampered)
        {
            using var response = await world.PayInWeChatAsync(pay, openId, change);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(change)}: {(int)response.StatusCode} {text}");
            Assert.StartsWith("requestPayment:fail", JsonSerializer.Deserialize<JsonElement>(text).GetProperty("errMsg").GetString());
        }

        using (var otherUser = await world.PayInWeChatAsync(pay, NewOpenId()))
        {
            Assert.Equal(HttpStatusCode.BadRequest, otherUser.StatusCode);
        }

        var order = await world.OrderAsync(student);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal("NOTPAY", (await world.SimulatorOrderAsync(order.OutTradeNo)).GetProperty("state").GetString());

        // The untouched parameters still pay: the refusals above were about what was changed.
        using var genuine = await world.PayInWeChatAsync(pay, openId);
        Assert.True(genuine.IsSuccessStatusCode, await genuine.Content.ReadAsStringAsync());
        await world.OrderWhenAsync(student, OrderStatus.Paid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("o<script>alert(1)</script>")]
    [InlineData("oUpF8u MuAJO")]
    [InlineData("oUpF8uMuAJO\n")]
    [InlineData("微信用户")]
    [InlineData(null)]
    public async Task An_openid_that_is_not_one_is_400_naming_openid_and_nothing_reaches_the_provider(string? openId)
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        var order = await world.OrderAsync(student);
        using var client = world.Student(student);

        using var response = await client.PostAsJsonAsync($"{Prefix}/me/orders/{order.Id}/jsapi", new { openid = openId });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("openid", out _), problem.ToString());
        var after = await world.OrderAsync(student);
        Assert.Equal((null, null, (DateTimeOffset?)null), (after.PrepayId, after.Channel, after.OnlineStartedAt));
    }

    [Fact]
    public async Task A_too_long_openid_and_other_callers_are_refused()
    {
        var world = new PaymentWorld(app);
        var mine = await world.ApproveAsync(3000);
        var theirs = await world.ApproveAsync(3000);
        var theirOrder = await world.OrderAsync(theirs);
        using var client = world.Student(mine);

        using var tooLong = await client.PostAsJsonAsync($"{Prefix}/me/orders/{(await world.OrderAsync(mine)).Id}/jsapi", new { openid = new string('o', 129) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        // Declared length: refused before it is read. (PostAsJsonAsync would send it chunked; then the server can only stop
        // reading at the limit and close, which a client still sending sees as a reset as often as the 413.)
        using var hugeBody = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { openid = "o", padding = new string('x', 64 * 1024) }), System.Text.Encoding.UTF8, "application/json");
        using var once = world.Student(mine); // its own connection: the server may close it after refusing an unread body
        using var huge = await once.PostAsync($"{Prefix}/me/orders/{(await world.OrderAsync(mine)).Id}/jsapi", hugeBody);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        using var notMine = await client.PostAsJsonAsync($"{Prefix}/me/orders/{theirOrder.Id}/jsapi", new { openid = NewOpenId() });
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        using var noSchool = app.Service.CreateClient(TestTokens.For(CaptureRoles.Student, subject: theirs.StudentNumber, school: null));
        using var missingClaim = await noSchool.PostAsJsonAsync($"{Prefix}/me/orders/{theirOrder.Id}/jsapi", new { openid = NewOpenId() });
        Assert.Equal(HttpStatusCode.Forbidden, missingClaim.StatusCode);
        using var staff = world.Staff("law");
        using var wrongRole = await staff.PostAsJsonAsync($"{Prefix}/me/orders/{theirOrder.Id}/jsapi", new { openid = NewOpenId() });
        Assert.Equal(HttpStatusCode.Forbidden, wrongRole.StatusCode);
        using var anonymous = world.Anonymous();
        using var noToken = await anonymous.PostAsJsonAsync($"{Prefix}/me/orders/{theirOrder.Id}/jsapi", new { openid = NewOpenId() });
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Null((await world.OrderAsync(theirs)).PrepayId);
    }

    [Fact]
    public async Task Switching_from_the_QR_code_to_WeChat_closes_the_code_at_the_provider_and_pays_under_a_new_number()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(student);
        var qrNumber = (await world.OrderAsync(student)).OutTradeNo;
        var openId = NewOpenId();

        var pay = (await world.StartJsapiAsync(student, openId)).Pay;

        var order = await world.OrderAsync(student);
        Assert.NotEqual(qrNumber, order.OutTradeNo);
        Assert.Null(order.CodeUrl);
        Assert.Equal("CLOSED", (await world.SimulatorOrderAsync(qrNumber)).GetProperty("state").GetString());
        using (var sim = world.Simulator())
        {
            using var scanOld = await sim.PostAsJsonAsync($"/sim/orders/{qrNumber}/pay", new { });
            Assert.Equal(HttpStatusCode.Conflict, scanOld.StatusCode);
        }

        // Another WeChat user on the same order: the first prepay is closed too.
        var otherOpenId = NewOpenId();
        var otherPay = (await world.StartJsapiAsync(student, otherOpenId)).Pay;
        Assert.NotEqual(pay.Package, otherPay.Package);
        using (var stale = await world.PayInWeChatAsync(pay, openId))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        }

        using (var paid = await world.PayInWeChatAsync(otherPay, otherOpenId))
        {
            Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());
        }

        var done = await world.OrderWhenAsync(student, OrderStatus.Paid);
        Assert.Equal(otherOpenId, done.PayerOpenId);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", done.Id));
    }

    [Fact]
    public async Task When_the_QR_code_was_paid_just_before_the_switch_the_switch_is_refused_and_that_payment_counts()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(2000);
        await world.StartOnlineAsync(student);
        var qrNumber = (await world.OrderAsync(student)).OutTradeNo;
        await world.PayAtSimulatorAsync(qrNumber, new { dropNotify = true });

        var order = await world.OrderAsync(student);
        using var client = world.Student(student);
        using var response = await client.PostAsJsonAsync($"{Prefix}/me/orders/{order.Id}/jsapi", new { openid = NewOpenId() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("paid-meanwhile", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(qrNumber, (await world.OrderAsync(student)).OutTradeNo);
        var paid = await world.OrderWhenAsync(student, OrderStatus.Paid); // the poller asks the provider
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
    }

    [Fact]
    public async Task With_the_provider_down_starting_in_WeChat_is_503_and_nothing_is_stored()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        var order = await world.OrderAsync(student);
        await world.SetBehaviourAsync(new { down = true });
        try
        {
            using var client = world.Student(student);
            using var response = await client.PostAsJsonAsync($"{Prefix}/me/orders/{order.Id}/jsapi", new { openid = NewOpenId() });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        finally
        {
            await world.SetBehaviourAsync(new { });
        }

        Assert.Null((await world.OrderAsync(student)).PrepayId);
        Assert.StartsWith("prepay_id=", (await world.StartJsapiAsync(student, NewOpenId())).Pay.Package);
    }
}
