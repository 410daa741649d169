using Microsoft.Playwright;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>Steps every browser test shares: signing in and waiting until the Blazor circuit is interactive.</summary>
public static class ConsolePage
{
    public static async Task SignInAsync(this IPage page, Uri baseAddress, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(new Uri(baseAddress, "/account/login").ToString());
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=sign-in]");
    }

    /// <summary>Clicks before the circuit connects are lost, so wait for the layout's interactive marker.</summary>
    public static Task WaitUntilInteractiveAsync(this IPage page) =>
        page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, name + ".png"), FullPage = true });
}
