using System.Globalization;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// Issue 11, point 2: people choose the executions list's columns with the keyboard alone; the choice is in the address
/// (it survives a reload and goes into a saved view) and becomes their own default for the list; on a phone the
/// picker stays inside the window; the open picker has no critical or serious axe violation.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class ColumnPickerBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    private static readonly AxeRunOptions WcagAandAA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    protected override Task SeedAsync() => SeedExecutionsAsync(40, randomSeed: 13);

    [Fact]
    public async Task With_the_keyboard_a_column_is_hidden_the_address_says_so_and_a_reload_and_a_bare_address_keep_it()
    {
        var page = await SignedInListAsync(1440, 900);
        Assert.Contains("Source", await HeadersAsync(page));

        await page.Locator("[data-testid=list-columns-toggle]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var source = page.Locator("[data-testid=column-source]");
        await source.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });

        // Tab from the picker's button through the tick boxes to Source, then Space, as a keyboard user would.
        for (var i = 0; i < 12 && !await source.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.True(await source.EvaluateAsync<bool>("e => e === document.activeElement"), "Tab did not reach the Source tick box.");
        await page.Keyboard.PressAsync("Space");
        await WaitForAddressAsync(page, url => url.Contains("cols=", StringComparison.Ordinal) && !url.Contains("source", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=list-grid] thead th", new PageLocatorOptions { HasTextString = "Source" }))
            .ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 60_000 });

        // The open picker is as accessible as the rest of the list.
        var scan = await page.RunAxe(WcagAandAA);
        var found = new StringBuilder();
        foreach (var violation in scan.Violations.Where(v => v.Impact is "critical" or "serious"))
        {
            found.AppendLine(CultureInfo.InvariantCulture, $"{violation.Id} ({violation.Impact}) {violation.Help}: {string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html))}");
        }

        Assert.True(found.Length == 0, found.ToString());

        // The list still fits the window with the menu open.
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 1440, "The page scrolls sideways.");

        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        Assert.DoesNotContain("Source", await HeadersAsync(page));
        Assert.Contains("Workflow", await HeadersAsync(page));

        // The choice is the user's default for the list: a bare address shows the same columns, in the first response.
        await page.GotoAsync("/executions", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator("[data-testid=list-grid] [data-testid=row]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        Assert.DoesNotContain("Source", await HeadersAsync(page));
        await page.WaitUntilInteractiveAsync();
        Assert.DoesNotContain("Source", await HeadersAsync(page));
        await page.GotoAsync("about:blank");
    }

    [Fact]
    public async Task On_a_phone_the_picker_stays_inside_the_window_and_hides_a_column()
    {
        var page = await SignedInListAsync(390, 844);

        await page.Locator("[data-testid=list-columns-toggle]").ClickAsync();
        var panel = page.Locator("[data-testid=list-columns] .list-columns-panel");
        await panel.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
        var box = await panel.BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException("The picker's panel is not rendered.");
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"The picker's panel is outside the window: x {box.X}, width {box.Width}");

        await page.Locator("[data-testid=column-workflow]").ClickAsync();
        await WaitForAddressAsync(page, url => url.Contains("cols=", StringComparison.Ordinal) && !url.Contains("workflow", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=list-grid] tbody td[data-label=Workflow]"))
            .ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 60_000 });
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390,
            "The page scrolls sideways at 390 px: " + await OverflowingAsync(page));
        await page.GotoAsync("about:blank");
    }

    // The elements whose right edge passes the window's, to say in a failure what makes a page scroll sideways.
    private static Task<string> OverflowingAsync(IPage page) => page.EvaluateAsync<string>("""
        () => {
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 0.5)
                .slice(0, 12)
                .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}[${e.getAttribute('data-testid') ?? ''}] right ${Math.round(e.getBoundingClientRect().right)}`)
                .join('; ');
        }
        """);

    // The context opens at the desktop size; a phone's window is set on the page before anything loads.
    private async Task<IPage> SignedInListAsync(int width, int height)
    {
        await Page.SetViewportSizeAsync(width, height);
        await SignInAsync(Roles.Support);
        await Page.GotoAsync("/executions");
        await Page.WaitUntilInteractiveAsync();
        await Page.Locator("[data-testid=list-grid] [data-testid=row]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        return Page;
    }

    private static async Task<IReadOnlyList<string>> HeadersAsync(IPage page) =>
        (await page.Locator("[data-testid=list-grid] thead th").AllTextContentsAsync()).Select(t => t.Trim()).ToList();
}
