using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The support journey of user-journeys.md in real Chromium: filter failures, find the customer by its business
/// key, open the execution, read the failed step's input and error. Screenshots go to the test artifacts.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SupportJourneyBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture database = new();
    private ConsoleAppFactory app = null!;
    private IBrowserContext context = null!;
    private IPage page = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        app = new ConsoleAppFactory(database);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(400, RandomSeed: 3), default);
        }

        context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        page = await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Support_filters_failures_finds_the_customer_and_reads_the_failed_steps_input_and_error()
    {
        var target = await FailedExecutionAsync();
        var support = DemoUsers.All.Single(u => u.Role == Roles.Support);
        await page.SignInAsync(app.BaseAddress, support.Email, support.Password);
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync("/executions");
        await page.WaitUntilInteractiveAsync();

        // The chips re-render when their counts arrive; click once they are settled, as a person would.
        await Assertions.Expect(page.Locator("[data-testid=status-count-Failed]")).Not.ToHaveTextAsync("…");
        await page.ClickAsync("[data-testid=status-chip-Failed]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=Failed"));
        await page.Locator("[data-testid=list-grid] tbody tr").First.WaitForAsync();
        await page.ScreenshotAsync("executions-list-failed");

        await page.Locator("[data-testid=list-search] input, input[data-testid=list-search]").First.FillAsync(target.BusinessKey!);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]q="));
        var link = page.Locator($"[data-testid=list-grid] a[href$='{target.Id}']");
        await link.WaitForAsync();

        // Opened with the keyboard, as someone who does not use a mouse would (focus rings show after keys only).
        await link.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync(url => url.Contains($"/executions/{target.Id}", StringComparison.Ordinal));
        var details = page.Locator($"[data-testid=step-details][data-step='{target.FailedStepKey}']");
        await details.WaitForAsync();

        // The new page's heading has the focus (a screen reader announces it) without a focus ring around it.
        var heading = await page.EvaluateAsync<string[]>(
            "() => { const e = document.activeElement; return [e.tagName, getComputedStyle(e).outlineStyle]; }");
        Assert.Equal(["H1", "none"], heading);
        Assert.Contains(target.ErrorMessage!, await page.InnerTextAsync("[data-testid=step-error]"), StringComparison.Ordinal);
        Assert.Contains(target.BusinessKey!, await details.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync("execution-detail-failed");
    }

    private async Task<WorkflowExecution> FailedExecutionAsync()
    {
        await using var db = database.CreateDbContext();

        // A failure at a later step, so the failed step's input still names the customer in the business key.
        return await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Status == ExecutionStatus.Failed && e.FailedStepKey == "create-customer")
            .OrderBy(e => e.CreatedAt)
            .FirstAsync();
    }
}
