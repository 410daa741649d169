using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The console on a 390x844 phone (issue 11, point 1): the list, an execution's page and the re-run dialog keep
/// every value on screen (nothing past the right edge, no sideways scrolling), and the Id link, the menu and
/// Sign out can be reached and tapped.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PhoneBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    private const int Width = 390;


    protected override Task SeedAsync() => SeedExecutionsAsync(60, randomSeed: 13);

    protected override BrowserNewContextOptions ContextOptions() => new()
    {
        ViewportSize = new ViewportSize { Width = Width, Height = 844 },
        IsMobile = true,
        HasTouch = true,
    };

    [Fact]
    public async Task On_a_phone_the_list_keeps_its_values_on_screen_and_the_menu_id_link_and_sign_out_are_reachable()
    {
        await SignInAsync(Roles.Admin);
        await Page.GotoAsync("/executions?status=Failed");
        await Page.WaitUntilInteractiveAsync();
        var firstRow = Page.Locator("[data-testid=list-grid] tbody tr").First;
        await firstRow.Locator("[data-testid=row]").WaitForAsync();
        await Page.ScreenshotAsync("phone-executions-list");

        await AssertNoSidewaysScrollingAsync();
        foreach (var cell in await firstRow.Locator("td").AllAsync())
        {
            await AssertOnScreenAsync(cell, "a cell of the first row");
        }

        await AssertTappableAsync(firstRow.Locator("[data-testid=row]"), "the Id link");
        await AssertTappableAsync(Page.Locator("[data-testid=sign-out]"), "Sign out");

        // The drawer is closed on a phone (left of the screen) and opens over the page from the menu button.
        var menu = Page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" });
        var audit = Page.Locator("[data-testid=nav-executions]");
        Assert.True((await audit.BoundingBoxAsync()) is not { } closed || closed.X + closed.Width <= 0.5, "The menu is open on a phone before the menu button is tapped.");
        await AssertTappableAsync(menu, "the menu button");
        await menu.TapAsync();
        await Assertions.Expect(audit).ToBeVisibleAsync();
        await AssertTappableAsync(audit, "a menu entry");
        await Page.ScreenshotAsync("phone-menu");

        // Choosing an entry goes there and closes the drawer again, as on a phone one expects.
        await Page.Locator("[data-testid=nav-failures]").TapAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/failures"));
        await Page.WaitForFunctionAsync("() => document.querySelector('[data-testid=nav-failures]').getBoundingClientRect().right <= 0.5");
    }

    [Fact]
    public async Task On_a_phone_an_execution_and_its_rerun_dialog_fit_the_screen()
    {
        Guid failed;
        await using (var db = Database.CreateDbContext())
        {
            failed = await db.WorkflowExecutions.AsNoTracking()
                .Where(e => e.Status == ExecutionStatus.Failed && e.ResolvedAt == null && !db.WorkflowExecutions.Any(r => r.RerunOfId == e.Id))
                .OrderBy(e => e.CreatedAt).Select(e => e.Id).FirstAsync();
        }

        await SignInAsync(Roles.Admin);
        await Page.GotoAsync($"/executions/{failed}");
        await Page.WaitUntilInteractiveAsync();
        await Page.Locator("[data-testid=step-error]").WaitForAsync();
        await Page.ScreenshotAsync("phone-execution-detail");

        await AssertNoSidewaysScrollingAsync();
        await AssertOnScreenAsync(Page.Locator("[data-testid=execution-header]"), "the header");
        await AssertOnScreenAsync(Page.Locator("[data-testid=step-error]"), "the step's error");
        await AssertTappableAsync(Page.Locator("[data-testid=rerun-execution]"), "Re-run");

        await Page.Locator("[data-testid=rerun-execution]").TapAsync();
        var dialog = Page.Locator(".mud-dialog", new() { Has = Page.Locator("[data-testid=rerun-reason]") });
        await dialog.WaitForAsync();
        await Page.ScreenshotAsync("phone-rerun-dialog");
        await AssertOnScreenAsync(dialog, "the re-run dialog");
        await AssertTappableAsync(Page.Locator("input[data-testid=rerun-reason]"), "the reason");
        await Page.Locator("input[data-testid=rerun-reason]").FillAsync("ticket 4711: from a phone");
        await AssertTappableAsync(Page.Locator("[data-testid=submit-rerun]"), "the submit button");
    }

    private async Task AssertNoSidewaysScrollingAsync()
    {
        var scrollWidth = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        if (scrollWidth > Width)
        {
            // The innermost elements past the right edge, to say what pushes the page wide.
            var culprits = await Page.EvaluateAsync<string[]>(
                """
                width => [...document.querySelectorAll("body *")]
                    .filter(e => e.getBoundingClientRect().right > width + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
                    .slice(0, 8)
                    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} right=${Math.round(e.getBoundingClientRect().right)}: ${e.textContent.trim().slice(0, 60)}`)
                """,
                Width);
            Assert.Fail($"The page is {scrollWidth} px wide on a {Width} px screen:{Environment.NewLine}{string.Join(Environment.NewLine, culprits)}");
        }
    }

    // Left and right edges inside the screen (a phone scrolls down, never sideways).
    private static async Task AssertOnScreenAsync(ILocator element, string what)
    {
        await element.ScrollIntoViewIfNeededAsync();
        var box = await element.BoundingBoxAsync();
        Assert.True(box is not null, $"{what} is not displayed.");
        Assert.True(box.X >= -0.5 && box.X + box.Width <= Width + 0.5, $"{what} spans x = {box.X:0} to {box.X + box.Width:0} on a {Width} px screen.");
    }

    // On screen, and a tap at its centre reaches it (nothing covers it).
    private static async Task AssertTappableAsync(ILocator element, string what)
    {
        await AssertOnScreenAsync(element, what);
        await element.TapAsync(new LocatorTapOptions { Trial = true, Timeout = 10_000 });
    }
}
