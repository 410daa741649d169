using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The admin's "fix and re-run" journey of user-journeys.md in real Chromium, on seeded demo data run by the real
/// background worker: re-run a failed provisioning from the failed step with an edited input and a reason, land on
/// the new execution, watch it succeed, and find it linked from the original. Support sees no actions at all.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class RerunBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    private static readonly LocatorWaitForOptions Generously = new() { Timeout = 60_000 };


    protected override Task SeedAsync() => SeedExecutionsAsync(400, randomSeed: 3);

    // Tall enough for the whole re-run dialog, diff included, in one screenshot.
    protected override BrowserNewContextOptions ContextOptions() => new() { ViewportSize = new ViewportSize { Width = 1440, Height = 1500 } };

    [Fact]
    public async Task An_admin_resumes_a_seeded_failure_with_an_edited_input_and_a_reason_and_lands_on_the_linked_rerun()
    {
        var original = await UnrerunFailureAsync("create-trial-plan");
        await SignInAsync(Roles.Admin);
        await Page.GotoAsync($"/executions/{original.Id}");
        await Page.WaitUntilInteractiveAsync();

        await Page.Locator("[data-testid=rerun-execution]").ClickAsync();
        var dialog = Page.Locator("[data-testid=rerun-dialog]");
        await dialog.WaitForAsync();
        await Assertions.Expect(dialog.Locator("[data-testid=reused-steps] [data-testid=planned-step]")).ToHaveCountAsync(4);
        await Assertions.Expect(dialog.Locator("[data-testid=rerun-steps] [data-testid=planned-step]").First).ToHaveAttributeAsync("data-step", "create-trial-plan");

        // Edit the failed step's own input: the steps before it are still reused.
        await dialog.Locator("[data-testid=input-edit]").ClickAsync();
        var editor = dialog.Locator("textarea[data-testid=input-editor]");
        await editor.WaitForAsync();
        var text = await editor.InputValueAsync();
        var licenses = Regex.Match(text, "\"desiredNumLicenses\": (\\d+)");
        Assert.True(licenses.Success, text);
        var corrected = $"\"desiredNumLicenses\": {int.Parse(licenses.Groups[1].Value, CultureInfo.InvariantCulture) + 1}";
        await editor.FillAsync(text.Replace(licenses.Value, corrected, StringComparison.Ordinal));
        var changed = dialog.Locator("[data-testid=input-diff] [data-testid=diff-row][data-change=true]");
        await Assertions.Expect(changed).ToHaveCountAsync(1);
        await Assertions.Expect(changed.Locator("[data-testid=diff-before]")).ToContainTextAsync(licenses.Value);
        await Assertions.Expect(changed.Locator("[data-testid=diff-after]")).ToContainTextAsync(corrected);
        await Assertions.Expect(dialog.Locator("[data-testid=reused-steps] [data-testid=planned-step]")).ToHaveCountAsync(4);
        await dialog.Locator("input[data-testid=rerun-reason]").FillAsync("ticket 4711: licenses as contracted");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "rerun-dialog.png") });

        await Page.Locator("[data-testid=submit-rerun]").ClickAsync();

        await LandOnTheRerunAsync(original.Id);
        var rerunOf = Page.Locator("[data-testid=lineage-rerun-of]");
        await rerunOf.WaitForAsync();
        Assert.EndsWith($"executions/{original.Id}", await rerunOf.Locator("a").GetAttributeAsync("href"), StringComparison.Ordinal);
        await Assertions.Expect(rerunOf).ToContainTextAsync("resumed from the failed step");
        await Assertions.Expect(rerunOf).ToContainTextAsync("ticket 4711: licenses as contracted");

        // The background worker runs it on the records the seed wrote; the page follows it live.
        await Page.Locator("[data-testid=execution-header] [data-testid=status-chip][data-status=Succeeded]").WaitForAsync(Generously);
        await Assertions.Expect(Page.Locator("[data-testid=step-reused]")).ToHaveCountAsync(4);
        var rerunId = Page.Url[(Page.Url.LastIndexOf('/') + 1)..].Split('?')[0];
        await Page.ScreenshotAsync("rerun-succeeded");

        await Page.GotoAsync($"/executions/{original.Id}");
        var listed = Page.Locator("[data-testid=lineage-rerun]");
        await listed.WaitForAsync();
        Assert.EndsWith($"executions/{rerunId}", await listed.Locator("a").GetAttributeAsync("href"), StringComparison.Ordinal);
        await Assertions.Expect(listed.Locator("[data-testid=status-chip]")).ToHaveAttributeAsync("data-status", "Succeeded");
    }

    [Fact]
    public async Task Support_sees_no_action_buttons_on_a_failed_execution()
    {
        var failed = await UnrerunFailureAsync("create-catalog");
        await SignInAsync(Roles.Support);
        await Page.GotoAsync($"/executions/{failed.Id}");
        await Page.WaitUntilInteractiveAsync();

        // The bar appears once the user's roles are read from the database; for Support it stays empty.
        var bar = Page.Locator("[data-testid=execution-actions]");
        await bar.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await Assertions.Expect(bar.Locator("button, a")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("[data-testid=rerun-execution], [data-testid=cancel-execution], [data-testid=start-like-this]")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("[data-testid=download-execution]")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Waits for the navigation to the new execution. A busy CI machine has needed more than Playwright's default
    /// 30 s once; should the dialog show an error instead, the failure says which rather than only "timeout".
    /// </summary>
    private async Task LandOnTheRerunAsync(Guid originalId)
    {
        try
        {
            // Polls the address rather than waiting for a navigation event: once (CI, 2026-12-03) the page had landed on the
            // re-run while WaitForURL, listening for the navigation, never saw it.
            await Assertions.Expect(Page).ToHaveURLAsync(
                new Regex($"/executions/(?!{originalId})[0-9a-f]{{8}}-[0-9a-f-]{{27}}$"), new PageAssertionsToHaveURLOptions { Timeout = 90_000 });
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException or Xunit.Sdk.XunitException)
        {
            var dialog = Page.Locator("[data-testid=rerun-dialog]");
            var text = await dialog.CountAsync() > 0 ? await dialog.InnerTextAsync() : "(the dialog is closed)";
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "rerun-submit-timeout.png") });
            Assert.Fail($"The re-run did not open within 90 s at {Page.Url}. The dialog shows: {text}");
        }
    }

    private async Task<WorkflowExecution> UnrerunFailureAsync(string failedStepKey)
    {
        await using var db = Database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Status == ExecutionStatus.Failed && e.FailedStepKey == failedStepKey && !db.WorkflowExecutions.Any(r => r.RerunOfId == e.Id))
            .OrderBy(e => e.CreatedAt)
            .FirstAsync();
    }
}
