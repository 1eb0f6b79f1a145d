using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Contracts.Registration;
using Capture.Payment.Apis;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.Payment.Infrastructure.WeChatPay;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Payment.Tests;

/// <summary>A student a test approved, with their order once it exists.</summary>
public sealed record TestStudent(Guid RegistrationId, string StudentNumber, string CollegeCode, long FeeFen);

/// <summary>A notify as the simulator signed it: headers and body, to send (or tamper with) as a test likes.</summary>
public sealed record SignedNotify(Dictionary<string, string> Headers, string Body);

/// <summary>One test's own school, campaign and students, made through events on the bus, so tests never share data.</summary>
public sealed class PaymentWorld(PaymentApp app)
{
    public const string Prefix = PaymentDbContext.RoutePrefix;
    private static int counter;

    public string School { get; } = "8" + Interlocked.Increment(ref counter).ToString("D2") + Random.Shared.Next(100, 999);

    public Guid CampaignId { get; } = Guid.NewGuid();

    public HttpClient Student(TestStudent s) => app.Service.CreateClient(TestTokens.For(CaptureRoles.Student, subject: s.StudentNumber, school: School));

    public HttpClient Admin() => app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: School));

    public HttpClient Staff(string college) => app.Service.CreateClient(TestTokens.For(CaptureRoles.CollegeStaff, school: School, college: college));

    public HttpClient Simulator() => new() { BaseAddress = app.SimulatorAddress };

    public HttpClient Anonymous() => app.Service.CreateClient();

    public async Task<TestStudent> ApproveAsync(long feeFen = 3000, string college = "law", DateTimeOffset? at = null, Guid? registrationId = null, string name = "张三")
    {
        var student = new TestStudent(registrationId ?? Guid.NewGuid(), "S" + Random.Shared.Next(10_000_000, 99_999_999), college, feeFen);
        await PublishApprovalAsync(student, feeFen, at ?? DateTimeOffset.UtcNow, name);
        await Eventually.TrueAsync(async () => await OrderOrNullAsync(student) is not null, what: "the order of an approved registration");
        return student;
    }

    public Task PublishApprovalAsync(TestStudent s, long feeFen, DateTimeOffset at, string name = "张三") =>
        app.Bus.Publish(new RegistrationApproved(s.RegistrationId, CampaignId, School, s.CollegeCode, s.CollegeCode + " college", "class 1", s.StudentNumber, name,
            "1101**********001X", "master", "full-time", "main", feeFen, at));

    public async Task<PaymentOrder?> OrderOrNullAsync(TestStudent s) =>
        await QueryAsync(db => db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.RegistrationId == s.RegistrationId));

    public async Task<PaymentOrder> OrderAsync(TestStudent s) => (await OrderOrNullAsync(s))!;

    public Task<PaymentOrder> OrderWhenAsync(TestStudent s, OrderStatus status) =>
        Eventually.GetAsync(() => OrderAsync(s), o => o.Status == status, what: $"the order to become {status}");

    public async Task<T> QueryAsync<T>(Func<PaymentDbContext, Task<T>> query)
    {
        await using var scope = app.Service.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PaymentDbContext>());
    }

    /// <summary>Outbox events of a type that mention an id (the order's or the registration's).</summary>
    public async Task<int> EventsAsync(string type, Guid mentioning)
    {
        var bodies = await QueryAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.MessageType.EndsWith("." + type)).Select(m => m.Body).ToListAsync());
        return bodies.Count(b => b.Contains(mentioning.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The bodies of outbox events of a type that mention an id.</summary>
    public async Task<List<string>> EventBodiesAsync(string type, Guid mentioning)
    {
        var bodies = await QueryAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.MessageType.EndsWith("." + type)).Select(m => m.Body).ToListAsync());
        return bodies.Where(b => b.Contains(mentioning.ToString(), StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>A merchant order number the order gave up, as Payment remembers it (null when it does not).</summary>
    public Task<SupersededTradeNumber?> SupersededAsync(string outTradeNo) =>
        QueryAsync(db => db.SupersededTradeNumbers.AsNoTracking().FirstOrDefaultAsync(n => n.OutTradeNo == outTradeNo));

    public async Task<OnlinePaymentView> StartOnlineAsync(TestStudent s)
    {
        var order = await OrderAsync(s);
        using var student = Student(s);
        using var response = await student.PostAsync($"{Prefix}/me/orders/{order.Id}/online", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonSerializer.Deserialize<OnlinePaymentView>(text, JsonSerializerOptions.Web)!;
    }

    /// <summary>Starts paying inside WeChat as the student, for an openid; the answer is what wx.requestPayment takes.</summary>
    public async Task<JsapiPaymentView> StartJsapiAsync(TestStudent s, string openId)
    {
        var order = await OrderAsync(s);
        using var student = Student(s);
        using var response = await student.PostAsJsonAsync($"{Prefix}/me/orders/{order.Id}/jsapi", new { openid = openId });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonSerializer.Deserialize<JsapiPaymentView>(text, JsonSerializerOptions.Web)!;
    }

    /// <summary>The student's WeChat calling wx.requestPayment with the parameters (the simulator checks them as WeChat does).</summary>
    public async Task<HttpResponseMessage> PayInWeChatAsync(JsapiPayParameters pay, string? openId = null, object? overrides = null)
    {
        using var sim = Simulator();
        var body = new Dictionary<string, object?>
        {
            ["appId"] = pay.AppId, ["timeStamp"] = pay.TimeStamp, ["nonceStr"] = pay.NonceStr, ["package"] = pay.Package,
            ["signType"] = pay.SignType, ["paySign"] = pay.PaySign, ["openid"] = openId,
        };
        foreach (var p in overrides?.GetType().GetProperties() ?? [])
        {
            body[p.Name] = p.GetValue(overrides);
        }

        return await sim.PostAsJsonAsync("/sim/jsapi/pay", body);
    }

    public async Task<JsonElement> SimulatorOrderAsync(string outTradeNo)
    {
        using var sim = Simulator();
        return await sim.GetFromJsonAsync<JsonElement>($"/sim/orders/{outTradeNo}");
    }

    public async Task SetBehaviourAsync(object behaviour)
    {
        using var sim = Simulator();
        (await sim.PostAsJsonAsync("/sim/behaviour", behaviour)).EnsureSuccessStatusCode();
    }

    public async Task PayAtSimulatorAsync(string outTradeNo, object? options = null)
    {
        using var sim = Simulator();
        using var response = await sim.PostAsJsonAsync($"/sim/orders/{outTradeNo}/pay", options ?? new { });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> MerchantIdAsync()
    {
        var credentials = await app.Service.Services.GetRequiredService<WeChatPayCredentialStore>().GetAsync(CancellationToken.None);
        return credentials.MerchantId;
    }

    /// <summary>A refund notify (REFUND.SUCCESS, ABNORMAL or CLOSED) genuinely signed by the simulator's platform key, with the content asked for.</summary>
    public async Task<SignedNotify> SignRefundNotifyAsync(
        string outTradeNo, string outRefundNo, long totalFen, long refundFen, string eventType = "REFUND.SUCCESS", long? timestamp = null, string? nonce = null, string? refundStatus = null)
    {
        using var sim = Simulator();
        using var response = await sim.PostAsJsonAsync(
            "/sim/notifications/sign", new { mchid = await MerchantIdAsync(), outTradeNo, amountFen = totalFen, outRefundNo, refundFen, eventType, timestamp, nonce, refundStatus });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SignedNotify>())!;
    }

    /// <summary>A notify genuinely signed by the simulator's platform key, with the content asked for.</summary>
    public async Task<SignedNotify> SignNotifyAsync(string outTradeNo, long amountFen, string currency = "CNY", long? timestamp = null, string? nonce = null, string? tradeState = null)
    {
        using var sim = Simulator();
        using var response = await sim.PostAsJsonAsync("/sim/notifications/sign", new { mchid = await MerchantIdAsync(), outTradeNo, amountFen, currency, timestamp, nonce, tradeState });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SignedNotify>())!;
    }

    public async Task<HttpResponseMessage> SendNotifyAsync(SignedNotify notify, string? body = null)
    {
        using var client = Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Prefix}/notify/wechatpay") { Content = new StringContent(body ?? notify.Body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in notify.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }
}
