using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The admin's "outage overnight" journey of user-journeys.md in real Chromium, on the real application with its
/// Hangfire workers: filter the failures, re-run all that match with a reason, and watch the bulk re-run finish.
/// Screenshots go to the test artifacts.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class BulkRerunBrowserTests(BrowserFixture browser) : IAsyncLifetime
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
            await scope.ServiceProvider.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(150, RandomSeed: 5), default);
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
    public async Task An_admin_reruns_every_failure_matching_the_filter_and_watches_the_bulk_rerun_finish()
    {
        int failed;
        await using (var db = database.CreateDbContext())
        {
            failed = await db.WorkflowExecutions.CountAsync(e => e.Status == ExecutionStatus.Failed);
        }

        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);
        await page.SignInAsync(app.BaseAddress, admin.Email, admin.Password);
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync("/executions?status=Failed");
        await page.WaitUntilInteractiveAsync();

        var allMatching = page.Locator("[data-testid=bulk-all-action]");
        await Assertions.Expect(allMatching).ToHaveTextAsync($"Re-run all {failed} matching");
        await allMatching.ClickAsync();
        var dialog = page.Locator("[data-testid=bulk-rerun-dialog]");
        await Assertions.Expect(dialog.Locator("[data-testid=bulk-rerun-count]")).ToContainTextAsync($"{failed} executions match");
        await page.Locator("textarea[data-testid=bulk-rerun-reason]").FillAsync("license manager outage 02:00-03:10");
        await page.ScreenshotAsync("bulk-rerun-dialog");
        await page.ClickAsync("[data-testid=confirm-bulk-rerun]");

        // The progress page follows the background job until every execution has been handled.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/bulk-reruns/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("[data-testid=bulk-counters]")).ToContainTextAsync($"{failed} of {failed} processed (100 %)");

        // ... and then the new executions, which the workers run, until none is waiting or running.
        var outcomes = page.Locator("[data-testid=bulk-outcomes]");
        await Assertions.Expect(outcomes).ToContainTextAsync("succeeded", new() { Timeout = 90_000 });
        await Assertions.Expect(outcomes).Not.ToContainTextAsync(new Regex("waiting|running"), new() { Timeout = 90_000 });
        await page.ScreenshotAsync("bulk-rerun-progress");

        await using var after = database.CreateDbContext();
        var bulk = await after.BulkReruns.AsNoTracking().SingleAsync();
        Assert.Equal(failed, bulk.Total);
        Assert.Equal(bulk.SucceededCount, await after.WorkflowExecutions.CountAsync(e => e.TriggerSource == TriggerSource.Rerun && e.CreatedAt >= bulk.CreatedAt));
        Assert.Equal(1, await after.AuditEntries.CountAsync(e => e.Action == AuditActions.ExecutionBulkRerun));
    }
}
