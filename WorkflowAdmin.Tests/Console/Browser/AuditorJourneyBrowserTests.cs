using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Security;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The auditor's quarterly review of user-journeys.md in real Chromium: an admin has cancelled one execution and
/// re-run another, each with a reason; the auditor signs in, verifies the chain, filters the audit log to those
/// actions, opens one, and exports the filtered set as CSV.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class AuditorJourneyBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new PostgresDatabaseFixture())
{
    private const string RerunReason = "ticket 4711: dates swapped";
    private const string CancelReason = "customer withdrew, ticket 4712";

    // PostgreSQL, because only a shared job queue allows a web-only node (see below).

    // A web-only node: nothing runs queued executions, so the one the admin starts is still Pending when cancelled.
    protected override ConsoleAppFactory CreateApp() => new(Database, new Dictionary<string, string?> { ["Background:Role"] = "Web" });

    protected override Task SeedAsync() => SeedExecutionsAsync(40, randomSeed: 5);

    protected override BrowserNewContextOptions ContextOptions() => new() { ViewportSize = Desktop, AcceptDownloads = true };

    [Fact]
    public async Task An_auditor_verifies_the_chain_finds_the_admins_actions_opens_one_and_exports_the_filtered_set()
    {
        var (rerunOf, cancelled) = await AdminActsAsync();
        var auditor = DemoUsers.All.Single(u => u.Role == Roles.Auditor);
        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);

        await SignInAsync(Roles.Auditor);
        await Page.WaitUntilInteractiveAsync();
        await Page.ClickAsync("[data-testid=nav-audit]");

        // The log opens on the changes: the admin's actions, not the sign-ins (issue #11 point 10).
        await Page.WaitForURLAsync(url => url.EndsWith("/audit?show=changes", StringComparison.Ordinal));
        await Page.Locator("[data-testid=list-grid] [data-testid=row]").First.WaitForAsync();
        await Assertions.Expect(Page.Locator("[data-testid=list-grid] [data-testid=audit-action][data-action^='account.']")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("[data-testid=list-grid] [data-testid=audit-action][data-action='execution.rerun']")).ToHaveCountAsync(1);

        // First, that nothing was changed since it was written.
        await Page.ClickAsync("[data-testid=audit-verify-button]");
        var verified = Page.Locator("[data-testid=audit-verify-result]");
        await Assertions.Expect(verified).ToHaveAttributeAsync("data-intact", "true");
        await Assertions.Expect(verified).ToContainTextAsync(new Regex(@"All \d+ entries are intact\."));
        await Page.ScreenshotAsync("audit");

        // The admin's actions among everyone's: filter by actor, then by the two actions.
        await Page.Locator("[data-testid=filter-actor] input, input[data-testid=filter-actor]").First.FillAsync(admin.Email);
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("actor=admin%40workflowadmin.local"));
        await Page.ClickAsync("[data-testid=filter-action] summary");
        await Page.Locator("[data-testid=filter-action] label", new PageLocatorOptions { HasText = "Re-ran execution" }).ClickAsync();
        await Page.Locator("[data-testid=filter-action] label", new PageLocatorOptions { HasText = "Cancelled execution" }).ClickAsync();
        await Assertions.Expect(Page.Locator("[data-testid=filter-action] summary")).ToContainTextAsync("Re-ran execution");
        await Page.ClickAsync("[data-testid=list-title]");
        await Assertions.Expect(Page.Locator("[data-testid=filter-action][open]")).ToHaveCountAsync(0);
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("action=execution.rerun%2Cexecution.cancel|action=execution.rerun,execution.cancel"));
        var actions = Page.Locator("[data-testid=list-grid] tbody [data-testid=audit-action]");
        await Assertions.Expect(actions).ToHaveCountAsync(2);
        Assert.Equal(["execution.cancel", "execution.rerun"], (await actions.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.action)")).Order(StringComparer.Ordinal));
        await Page.ScreenshotAsync("audit-filtered");
        var filteredList = Page.Url;

        // The re-run's entry: who, in what role, why, and what it created.
        var rerunRow = Page.Locator("[data-testid=list-grid] tbody tr", new PageLocatorOptions { Has = Page.Locator("[data-action='execution.rerun']") });
        await rerunRow.Locator("[data-testid=row]").ClickAsync();
        await Page.WaitForURLAsync(new Regex("/audit/\\d+$"));
        await Assertions.Expect(Page.Locator("[data-testid=audit-entry-reason]")).ToHaveTextAsync(RerunReason);
        Assert.Equal(admin.Email, await Page.InnerTextAsync("[data-testid=audit-entry-actor]"));
        Assert.Equal(Roles.Admin, await Page.InnerTextAsync("[data-testid=audit-entry-roles]"));
        Assert.Contains(rerunOf.ToString()[..8], await Page.InnerTextAsync("[data-testid=audit-entry-target]"), StringComparison.Ordinal);
        await Assertions.Expect(Page.Locator("[data-testid=audit-entry-integrity]")).ToHaveAttributeAsync("data-intact", "true");
        await Page.ScreenshotAsync("audit-entry");

        // On the execution itself, the Audit tab tells the same story.
        await Page.ClickAsync("[data-testid=audit-entry-target] [data-testid=audit-target-link]");
        await Page.WaitForURLAsync(url => url.Contains($"/executions/{rerunOf}", StringComparison.Ordinal));
        await Page.Locator(".mud-tab", new PageLocatorOptions { HasTextRegex = new Regex("^Audit$") }).ClickAsync();
        var onExecution = Page.Locator("[data-testid=execution-audit-entry]");
        await Assertions.Expect(onExecution).ToHaveCountAsync(1);
        await Assertions.Expect(onExecution).ToHaveAttributeAsync("data-action", "execution.rerun");
        await Assertions.Expect(onExecution).ToContainTextAsync(RerunReason);
        await Page.ScreenshotAsync("execution-audit-tab");

        // Back to the filtered list (its address keeps the filters), and export exactly what it shows.
        await Page.GotoAsync(filteredList);
        await Page.WaitUntilInteractiveAsync();
        await Assertions.Expect(actions).ToHaveCountAsync(2);

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.ClickAsync("[data-testid=list-export]"));
        Assert.Matches(@"^audit-\d{8}-\d{6}\.csv$", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!, Encoding.UTF8);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Sequence,Time (UTC),Actor,", lines[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains(",execution.rerun,", StringComparison.Ordinal) && l.Contains(RerunReason, StringComparison.Ordinal)
            && l.Contains(rerunOf.ToString(), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",execution.cancel,", StringComparison.Ordinal) && l.Contains($"\"{CancelReason}\"", StringComparison.Ordinal)
            && l.Contains(cancelled.ToString(), StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Contains(admin.Email, l, StringComparison.Ordinal));
    }

    // Through the services the console calls, the admin starts an execution like a succeeded one and cancels it, and
    // re-runs a failed one.
    private async Task<(Guid RerunOf, Guid Cancelled)> AdminActsAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = await users.FindByEmailAsync(DemoUsers.All.Single(u => u.Role == Roles.Admin).Email);
        var actor = await CurrentActor.ForUserAsync(users, admin!, "127.0.0.1");
        var db = services.GetRequiredService<AppDbContext>();
        // An unresolved failure: one a re-run already fixed would need the admin to confirm a second re-run.
        var failed = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Status == ExecutionStatus.Failed && e.ResolvedAt == null).OrderBy(e => e.CreatedAt).Select(e => e.Id).FirstAsync();
        var model = await db.WorkflowExecutions.AsNoTracking().Where(e => e.Status == ExecutionStatus.Succeeded).FirstAsync();
        var executions = services.GetRequiredService<ExecutionService>();
        var pending = (await executions.CreateAsync(model.DefinitionKey, model.InputJson, actor, default)).Id;
        await executions.CancelAsync(pending, CancelReason, actor, default);
        await executions.RerunAsync(failed, new RerunRequest(RerunMode.FromStart, RerunReason), actor, default);
        return (failed, pending);
    }
}
