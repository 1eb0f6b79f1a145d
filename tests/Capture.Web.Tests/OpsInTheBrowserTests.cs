using Capture.EndToEnd.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using static Microsoft.Playwright.Assertions;

namespace Capture.Web.Tests;

/// <summary>What ops must not miss: a message that failed into an <c>_error</c> queue shows on the dashboard, highlighted,
/// without a reload; the services' health and outboxes are on the same page.</summary>
[Collection(nameof(Pages))]
public sealed class OpsInTheBrowserTests(SystemFixture system, BrowserFixture browser)
{
    [Fact]
    public async Task A_message_in_an_error_queue_is_highlighted_on_the_ops_dashboard_without_a_reload()
    {
        var ops = await browser.OpenAsync(system.System.GatewayUri);
        await ops.SignInAsync(CaptureRoles.Ops, "ops-on-duty", "10385");
        await ops.GotoAsync("/ops");
        await ops.WaitForInteractiveAsync();
        await Expect(ops.Locator("[data-test=ops-health]")).ToContainTextAsync("capture-ingest");
        await Expect(ops.Locator("[data-test=queue-row]").First).ToBeVisibleAsync(new() { Timeout = 15_000 });

        var queue = $"web-test-{Guid.NewGuid():N}_error";
        using var admin = new RabbitMqAdmin(system.System.Endpoints.RabbitManagement!);
        await admin.PutInQueueAsync(system.VirtualHost, queue, "{\"message\":\"poison\"}");

        var row = ops.Locator("[data-test=queue-row]", new() { HasTextString = queue });
        await Expect(row).ToHaveClassAsync("error-queue", new() { Timeout = 15_000 });
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("1");
        await ops.ScreenshotAsync("ops-error-queue");
    }
}
