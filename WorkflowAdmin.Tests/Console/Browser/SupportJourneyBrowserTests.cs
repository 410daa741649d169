using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The support journey of user-journeys.md in real Chromium: filter failures, find the customer by its business
/// key, open the execution, read the failed step's input and error. Screenshots go to the test artifacts.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SupportJourneyBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    protected override Task SeedAsync() => SeedExecutionsAsync(400, randomSeed: 3);

    [Fact]
    public async Task Support_filters_failures_finds_the_customer_and_reads_the_failed_steps_input_and_error()
    {
        var target = await FailedExecutionAsync();
        var support = DemoUsers.All.Single(u => u.Role == Roles.Support);
        await SignInAsync(Roles.Support);
        await Page.GotoAsync("/executions");
        await Page.WaitUntilInteractiveAsync();

        // The chips re-render when their counts arrive; click once they are settled, as a person would.
        await Assertions.Expect(Page.Locator("[data-testid=status-count-Failed]")).Not.ToHaveTextAsync("…");
        await Page.ClickAsync("[data-testid=status-chip-Failed]");
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("status=Failed"));
        await Page.Locator("[data-testid=list-grid] tbody tr").First.WaitForAsync();
        await Page.ScreenshotAsync("executions-list-failed");

        await Page.Locator("[data-testid=list-search] input, input[data-testid=list-search]").First.FillAsync(target.BusinessKey!);
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("[?&]q="));
        var link = Page.Locator($"[data-testid=list-grid] a[href$='{target.Id}']");
        await link.WaitForAsync();

        // Opened with the keyboard, as someone who does not use a mouse would (focus rings show after keys only).
        await link.FocusAsync();
        await Page.Keyboard.PressAsync("Enter");

        await Page.WaitForURLAsync(url => url.Contains($"/executions/{target.Id}", StringComparison.Ordinal));
        var details = Page.Locator($"[data-testid=step-details][data-step='{target.FailedStepKey}']");
        await details.WaitForAsync();

        // The new page's heading has the focus (a screen reader announces it) without a focus ring around it. It gets
        // it once the circuit has shown the page and the heading is there (the page may show a progress bar first).
        await Page.WaitUntilInteractiveAsync();
        await Assertions.Expect(Page.Locator("h1")).ToBeFocusedAsync();
        var heading = await Page.EvaluateAsync<string[]>(
            "() => { const e = document.activeElement; return [e.tagName, getComputedStyle(e).outlineStyle]; }");
        Assert.Equal(["H1", "none"], heading);
        Assert.Contains(target.ErrorMessage!, await Page.InnerTextAsync("[data-testid=step-error]"), StringComparison.Ordinal);
        Assert.Contains(target.BusinessKey!, await details.InnerTextAsync(), StringComparison.Ordinal);
        await Page.ScreenshotAsync("execution-detail-failed");
    }

    private async Task<WorkflowExecution> FailedExecutionAsync()
    {
        await using var db = Database.CreateDbContext();

        // A failure at a later step, so the failed step's input still names the customer in the business key.
        return await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Status == ExecutionStatus.Failed && e.FailedStepKey == "create-customer")
            .OrderBy(e => e.CreatedAt)
            .FirstAsync();
    }
}
