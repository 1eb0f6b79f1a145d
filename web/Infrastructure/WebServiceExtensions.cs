using System.Globalization;
using Capture.Web.Components;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;

namespace Capture.Web.Infrastructure;

public static class WebServiceExtensions
{
    public static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];

    /// <summary>Where the gateway is: <c>services:gateway:http:0</c>, as for every other reference in the app model.</summary>
    public static Uri GatewayAddress(IConfiguration configuration) =>
        new(configuration["services:gateway:http:0"] ?? configuration["services:gateway:https:0"] ?? "http://localhost:8080");

    public static WebApplicationBuilder AddCaptureWeb(this WebApplicationBuilder builder)
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
        builder.Services.AddHttpContextAccessor();
        builder.AddWebAuthentication();

        var gateway = GatewayAddress(builder.Configuration);
        builder.Services.AddHttpClient<GatewayClient>(http =>
        {
            http.BaseAddress = gateway;
            // Long enough for a streamed download or an SSE feed's headers; each page sets its own limits on top.
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        builder.Services.AddHttpClient<DevelopmentTokenClient>(http =>
        {
            http.BaseAddress = gateway;
            http.Timeout = TimeSpan.FromSeconds(15);
        });
        builder.Services.AddHttpClient(nameof(TokenRefresher), http => http.Timeout = TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton<TokenRefresher>();
        builder.Services.AddSingleton<SessionTokens>();
        builder.Services.AddHttpClient(nameof(Downloads));
        builder.Services.AddHttpClient<OpsProbe>(http => http.Timeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplication UseCaptureWeb(this WebApplication app)
    {
        // Reached only through the gateway (network policy): its X-Forwarded-Proto says whether the browser used https.
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
        app.UseForwardedHeaders(forwarded);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseRequestLocalization(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
            // Cookie (the language switch) first, then ?culture=, then the browser's Accept-Language.
            options.RequestCultureProviders.Insert(0, new CookieRequestCultureProvider());
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapDefaultEndpoints();

        // The language switch: remembers the choice in the culture cookie and goes back.
        app.MapGet("/culture/{culture}", (string culture, string? back, HttpContext http) =>
        {
            var chosen = Cultures.FirstOrDefault(c => c.Name.Equals(culture, StringComparison.OrdinalIgnoreCase)) ?? Cultures[0];
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(SafeLocal(back));
        }).AllowAnonymous();

        app.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(WebAuthentication.SignInPath);
        }).DisableAntiforgery();

        app.MapGet("/signin/oidc", (string? back) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = SafeLocal(back) },
            [Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectDefaults.AuthenticationScheme])).AllowAnonymous();

        app.MapDownloads();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Only a path of this site: never an open redirect.</summary>
    public static string SafeLocal(string? back) =>
        back is { Length: > 0 } && back.StartsWith('/') && !back.StartsWith("//", StringComparison.Ordinal) && !back.StartsWith("/\\", StringComparison.Ordinal) ? back : "/";
}
