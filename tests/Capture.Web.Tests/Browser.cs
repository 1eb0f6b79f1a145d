using Microsoft.Playwright;

namespace Capture.Web.Tests;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by deploy/local/prerequisites.sh) driven by Playwright: no browser
/// is downloaded. One browser for the test run; each test opens its own contexts (its own cookies), one per person.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots go: .test-data/screenshots in the repository (docs/web.md shows a few of them).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(Capture.AppHost.Hosting.Paths.RepoRoot, ".test-data", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run deploy/local/prerequisites.sh (it installs Debian's chromium).");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in CI has no user namespace sandbox; /dev/shm is small in containers.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
    }
}

/// <summary>The whole system and one browser, shared by the page tests.</summary>
[CollectionDefinition(nameof(Pages))]
public sealed class Pages : ICollectionFixture<Capture.EndToEnd.Tests.SystemFixture>, ICollectionFixture<BrowserFixture>;

public static class PageActions
{
    /// <summary>A phone (375 × 812, touch) or a desk (1280 × 800), Chinese unless told, on the system's gateway.</summary>
    public static async Task<IPage> OpenAsync(this BrowserFixture browser, Uri gateway, bool phone = false, string locale = "zh-CN")
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = gateway.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 375, Height = 812 } : new ViewportSize { Width = 1280, Height = 800 },
            IsMobile = phone,
            HasTouch = phone,
            Locale = locale,
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the development sign-in page, as a person would (a station operator picks the venue by name).</summary>
    public static async Task SignInAsync(this IPage page, string role, string subject, string school, string? college = null, string? venueName = null)
    {
        await page.GotoAsync("/signin");
        await page.Locator("[data-test=role]").SelectOptionAsync(role);
        await page.Locator("[data-test=subject]").FillAsync(subject);
        await page.Locator("[data-test=school]").FillAsync(school);
        if (college is not null)
        {
            await page.Locator("[data-test=college]").FillAsync(college);
        }

        await page.Locator("[data-test=signin-submit]").ClickAsync();
        if (venueName is not null)
        {
            // First submit without a venue: the page answers with the school's venues to choose from.
            var venue = page.Locator("select[data-test=venue]");
            await venue.WaitForAsync();
            var value = await venue.Locator("option", new() { HasTextString = venueName }).GetAttributeAsync("value");
            await venue.SelectOptionAsync(value!);
            await page.ScreenshotAsync("signin-venue");
            await page.Locator("[data-test=signin-submit]").ClickAsync();
        }

        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync("signin-failed-" + role);
            var shown = await page.Locator(".signin").InnerTextAsync();
            var cookies = string.Join(", ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value.Length}b domain {c.Domain} path {c.Path}"));
            throw new InvalidOperationException($"Sign-in as {role} stayed on {page.Url} (cookies: {cookies}); the page says: {shown}");
        }
    }

    /// <summary>Waits until Blazor's interactive circuit is up (event handlers work only then).</summary>
    public static async Task WaitForInteractiveAsync(this IPage page) =>
        await page.Locator("[data-interactive=true]").WaitForAsync();

    /// <summary>
    /// Chooses a file in a Blazor InputFile once its script has attached to the element (before that, the browser's
    /// change event goes nowhere and the page never sees the file).
    /// </summary>
    public static async Task ChooseFileAsync(this ILocator input, string path)
    {
        await input.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await input.EvaluateAsync<bool>("el => el._blazorInputFileNextFileId !== undefined"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The file input was never made ready by Blazor.");
            }

            await Task.Delay(50);
        }

        await input.SetInputFilesAsync(path);
    }

    public static async Task ScreenshotAsync(this IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>True when nothing on the page is wider than the viewport (no sideways scrolling on a phone).</summary>
    public static async Task<bool> FitsWidthAsync(this IPage page) =>
        await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1");
}
