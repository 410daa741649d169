using System.Globalization;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Auditing;
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
/// An axe-core scan (WCAG 2.1 A and AA rules) of every console page, signed in as an admin (who sees every page),
/// in the light and the dark theme: no critical or serious violation anywhere. One browser page walks them all, so
/// the scan costs one Chromium context. Hangfire's own dashboard (/jobs) is not a console page and is not scanned.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class AccessibilityBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    private static readonly AxeRunOptions WcagAandAA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };


    protected override Task SeedAsync() => SeedExecutionsAsync(60, randomSeed: 7);

    [Fact]
    public async Task Every_console_page_has_no_critical_or_serious_violation_in_either_theme()
    {
        var pages = await PagesAsync();
        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);
        await SignInAsync(Roles.Admin);

        var found = new StringBuilder();
        foreach (var theme in new[] { "light", "dark" })
        {
            await Page.GotoAsync("/");
            await Page.WaitUntilInteractiveAsync();
            if (await Page.GetAttributeAsync(".console-root", "data-theme") != theme)
            {
                await Page.ClickAsync("[data-testid=theme-toggle]");
                await Assertions.Expect(Page.Locator(".console-root")).ToHaveAttributeAsync("data-theme", theme);
            }

            foreach (var (path, ready) in pages)
            {
                await Page.GotoAsync(path);
                await Page.WaitUntilInteractiveAsync();
                await Assertions.Expect(Page.Locator(".console-root")).ToHaveAttributeAsync("data-theme", theme);
                await Page.Locator(ready).First.WaitForAsync();
                await Assertions.Expect(Page.Locator(".mud-progress-linear-indeterminate, .mud-skeleton")).ToHaveCountAsync(0);

                var result = await Page.RunAxe(WcagAandAA);
                foreach (var violation in result.Violations.Where(v => v.Impact is "critical" or "serious"))
                {
                    found.AppendLine(CultureInfo.InvariantCulture, $"{theme} {path}: {violation.Id} ({violation.Impact}) {violation.Help}");
                    foreach (var node in violation.Nodes.Take(5))
                    {
                        found.AppendLine(CultureInfo.InvariantCulture, $"    {node.Target} {node.Html[..Math.Min(node.Html.Length, 160)]}");
                    }
                }
            }
        }

        await File.WriteAllTextAsync(Path.Combine(BrowserFixture.ArtifactsDirectory, "axe-violations.txt"), found.ToString());
        Assert.True(found.Length == 0, found.ToString());
    }

    // Each page with what shows it has finished loading its data.
    private async Task<List<(string Path, string Ready)>> PagesAsync()
    {
        var (rerunOf, rerun, bulk, auditEntry) = await AdminActsAsync();
        await using var db = Database.CreateDbContext();
        var supportEmail = DemoUsers.All.Single(d => d.Role == Roles.Support).Email;
        var userId = await db.Users.Where(u => u.Email == supportEmail).Select(u => u.Id).SingleAsync();
        return
        [
            ("/", "[data-testid=latest-failures]"),
            ("/executions", "[data-testid=list-grid] [data-testid=row]"),
            ("/executions?status=Failed", "[data-testid=list-grid] [data-testid=row]"),
            ($"/executions/{rerunOf}", "[data-testid=step-details]"),
            ($"/executions/{rerun}", "[data-testid=step-details]"),
            ($"/executions/{rerun}/compare/{rerunOf}", "[data-testid=compare-summary]"),
            ("/executions/new", "[data-testid=workflow-choices]"),
            ("/executions/new/provision-customer", "[data-testid=trigger-form]"),
            ("/executions/new/onboard-customer", "[data-testid=start-form]"),
            ("/failures", "h1"),
            ("/audit", "[data-testid=list-grid] [data-testid=row]"),
            ($"/audit/{auditEntry}", "[data-testid=audit-entry-actor]"),
            ("/users", "[data-testid=list-grid] [data-testid=row]"),
            ($"/users/{userId}", "[data-testid=user-email]"),
            ("/api-keys", "[data-testid=list-grid] [data-testid=row]"),
            ("/bulk-reruns", "[data-testid=list-grid] [data-testid=row]"),
            ($"/bulk-reruns/{bulk}", "[data-testid=bulk-counters]"),
            ("/system", "[data-testid=queue-depth]"),
            ("/admin/customers", "[data-testid=list-grid] [data-testid=row]"),
            ("/api-reference", "h1"),
            ("/access-denied", "[data-testid=access-denied]"),
        ];
    }

    // Through the services the console calls: a re-run of a failure, a bulk re-run and an API key, so that every
    // page has something to show.
    private async Task<(Guid RerunOf, Guid Rerun, Guid Bulk, long AuditEntry)> AdminActsAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = await users.FindByEmailAsync(DemoUsers.All.Single(u => u.Role == Roles.Admin).Email);
        var actor = await CurrentActor.ForUserAsync(users, admin!, "127.0.0.1");
        var db = services.GetRequiredService<AppDbContext>();
        var failed = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Status == ExecutionStatus.Failed && e.ResolvedAt == null).OrderBy(e => e.CreatedAt).Select(e => e.Id).Take(3).ToListAsync();
        var rerun = await services.GetRequiredService<ExecutionService>()
            .RerunAsync(failed[0], new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711"), actor, default);
        var bulk = await services.GetRequiredService<global::WorkflowAdmin.Domain.Bulk.BulkReruns>()
            .StartAsync(Guid.NewGuid(), failed[1..], RerunMode.FromStart, "outage 02:00-03:10", "two failures", actor, default);
        await services.GetRequiredService<ApiKeyService>().IssueAsync("crm-integration", [ApiScope.Trigger], actor, default);
        var entry = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.ExecutionRerun).Select(e => e.Id).SingleAsync();
        return (failed[0], rerun.Id, bulk.Id, entry);
    }
}
