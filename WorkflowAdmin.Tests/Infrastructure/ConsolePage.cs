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

    /// <summary>
    /// Types into a MudAutocomplete and picks an option. The autocomplete puts the focus back on its input a round trip
    /// after the pick, so whatever the test types next would land in the autocomplete if it did not wait for that.
    /// </summary>
    public static async Task ChooseOptionAsync(this IPage page, ILocator input, string search, string option)
    {
        await input.FillAsync(search);
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextString = option }).ClickAsync();
        await Assertions.Expect(input).ToHaveValueAsync(option);
        await Assertions.Expect(input).ToBeFocusedAsync();
    }

    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, name + ".png"), FullPage = true });
}
