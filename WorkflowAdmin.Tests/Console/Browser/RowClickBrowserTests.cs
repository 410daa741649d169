using Microsoft.Playwright;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// Issue 11, point 8: a mouse click anywhere on a row of the executions list opens that execution, while the row's
/// tick box selects it and stays on the list. Clicks go through the mouse at a point (not Playwright's element click,
/// which would click whatever element it is given), so what counts is what the browser finds under the pointer.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class RowClickBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    protected override Task SeedAsync() => SeedExecutionsAsync(40, randomSeed: 11);

    [Theory]
    [InlineData("Source")]
    [InlineData("Created")]
    public async Task A_click_in_the_middle_of_a_cell_opens_the_rows_execution(string column)
    {
        await SignedInListAsync();
        var row = Page.Locator("[data-testid=list-grid] tbody tr").Nth(1);
        var href = await row.Locator("[data-testid=row]").GetAttributeAsync("href");
        Assert.StartsWith("/executions/", href, StringComparison.Ordinal);

        var cell = row.Locator($"td[data-label='{column}']");
        await cell.ScrollIntoViewIfNeededAsync();
        var (x, y) = await MiddleOfAsync(cell);
        var under = await Page.EvaluateAsync<string>(
            "p => { const e = document.elementFromPoint(p.x, p.y); return e ? e.outerHTML.slice(0, 160) : 'nothing'; }", new { x = (double)x, y = (double)y });
        await Page.Mouse.ClickAsync(x, y);

        // The address is what the click decides; the page's load is waited for below. Polling the address (rather than
        // waiting for a navigation event) is what CI needed: WaitForURL timed out once at 30 s with the address right
        // when it gave up, on a machine at load 40+.
        var opened = false;
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(90) && !opened; await Task.Delay(100))
        {
            opened = new Uri(Page.Url).AbsolutePath.EndsWith(href!, StringComparison.Ordinal);
        }

        if (!opened)
        {
            throw new Xunit.Sdk.XunitException($"A click in the {column} cell at ({x}, {y}) did not open {href}; under the pointer: {under}; now at {Page.Url}");
        }

        await Page.Locator("[data-testid=step-row]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await Page.GotoAsync("about:blank");
    }

    [Fact]
    public async Task A_click_on_the_rows_tick_box_selects_it_and_stays_on_the_list()
    {
        await SignedInListAsync();
        var box = Page.Locator("[data-testid=list-grid] tbody tr").Nth(1).Locator("[data-testid=tick-row] input");
        var (x, y) = await MiddleOfAsync(box);

        await Page.Mouse.ClickAsync(x, y);

        await Assertions.Expect(Page.Locator("[data-testid=bulk-ticked]")).ToContainTextAsync("1");
        Assert.True(await box.IsCheckedAsync());
        Assert.EndsWith("/executions", new Uri(Page.Url).AbsolutePath, StringComparison.Ordinal);
        await Page.GotoAsync("about:blank");
    }

    [Fact]
    public async Task At_1440_by_900_with_the_menu_open_every_column_and_the_error_of_a_failure_are_in_view()
    {
        await SignedInListAsync("/executions?status=Failed");
        await Page.Locator("[data-testid=execution-error]").First.WaitForAsync();

        // Nothing scrolls sideways, and every header ends inside the window; the error (what failures are triaged by) too.
        var layout = await Page.EvaluateAsync<string>("""
            () => {
              const container = document.querySelector('[data-testid=list-grid] .mud-table-container');
              const heads = [...document.querySelectorAll('[data-testid=list-grid] thead th')]
                .map(th => `${th.textContent.trim()}:${Math.round(th.getBoundingClientRect().right)}`);
              return `${container.scrollWidth}/${container.clientWidth}/${document.documentElement.scrollWidth} ${heads.join(' ')}`;
            }
            """);
        var widths = layout.Split(' ')[0].Split('/').Select(int.Parse).ToArray();
        Assert.True(widths[0] <= widths[1] && widths[2] <= 1440, $"The list scrolls sideways (container scroll/client/page width, header right edges): {layout}");
        var error = await Page.Locator("[data-testid=execution-error]").First.BoundingBoxAsync();
        Assert.NotNull(error);
        Assert.True(error.X >= 0 && error.X + error.Width <= 1440 && error.Width >= 100, $"The error cell is not in view: x {error.X}, width {error.Width}; {layout}");
        var menu = await Page.Locator("[data-testid=nav-executions]").BoundingBoxAsync();
        Assert.True(menu is { X: >= 0 } && menu.X + menu.Width <= error.X, $"The menu is not open beside the list: {menu?.X} to {menu?.X + menu?.Width}.");
        await Page.GotoAsync("about:blank");
    }

    private async Task SignedInListAsync(string address = "/executions")
    {
        await SignInAsync(Roles.Admin);
        await Page.GotoAsync(address);
        await Page.WaitUntilInteractiveAsync();
    }

    private static async Task<(float X, float Y)> MiddleOfAsync(ILocator element)
    {
        var box = await element.BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException("The element is not rendered.");
        return (box.X + (box.Width / 2), box.Y + (box.Height / 2));
    }
}
