using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
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
public sealed class BulkRerunBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    protected override Task SeedAsync() => SeedExecutionsAsync(150, randomSeed: 5);

    [Fact]
    public async Task An_admin_reruns_every_failure_matching_the_filter_and_watches_the_bulk_rerun_finish()
    {
        int failed;
        await using (var db = Database.CreateDbContext())
        {
            failed = await db.WorkflowExecutions.CountAsync(e => e.Status == ExecutionStatus.Failed);
        }

        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);
        await SignInAsync(Roles.Admin);
        await Page.GotoAsync("/executions?status=Failed");
        await Page.WaitUntilInteractiveAsync();

        var allMatching = Page.Locator("[data-testid=bulk-all-action]");
        await Assertions.Expect(allMatching).ToHaveTextAsync($"Re-run all {failed} matching");
        await allMatching.ClickAsync();
        var dialog = Page.Locator("[data-testid=bulk-rerun-dialog]");
        await Assertions.Expect(dialog.Locator("[data-testid=bulk-rerun-count]")).ToContainTextAsync($"{failed} executions match");
        await Page.Locator("textarea[data-testid=bulk-rerun-reason]").FillAsync("license manager outage 02:00-03:10");
        await Page.ScreenshotAsync("bulk-rerun-dialog");
        await Page.ClickAsync("[data-testid=confirm-bulk-rerun]");

        // The progress page follows the background job until every execution has been handled.
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/bulk-reruns/[0-9a-f-]{36}$"));
        await Assertions.Expect(Page.Locator("[data-testid=bulk-counters]")).ToContainTextAsync($"{failed} of {failed} processed (100 %)");

        // ... and then the new executions, which the workers run, until none is waiting or running.
        var outcomes = Page.Locator("[data-testid=bulk-outcomes]");
        await Assertions.Expect(outcomes).ToContainTextAsync("succeeded", new() { Timeout = 90_000 });
        await Assertions.Expect(outcomes).Not.ToContainTextAsync(new Regex("waiting|running"), new() { Timeout = 90_000 });
        await Page.ScreenshotAsync("bulk-rerun-progress");

        await using var after = Database.CreateDbContext();
        var bulk = await after.BulkReruns.AsNoTracking().SingleAsync();
        Assert.Equal(failed, bulk.Total);
        Assert.Equal(bulk.SucceededCount, await after.WorkflowExecutions.CountAsync(e => e.TriggerSource == TriggerSource.Rerun && e.CreatedAt >= bulk.CreatedAt));
        Assert.Equal(1, await after.AuditEntries.CountAsync(e => e.Action == AuditActions.ExecutionBulkRerun));
    }
}
