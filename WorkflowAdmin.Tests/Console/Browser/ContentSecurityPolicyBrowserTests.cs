using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Security;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The main journey of each role in real Chromium under the application's own Content-Security-Policy, with every
/// violation the browser reports collected: the page's <c>securitypolicyviolation</c> events and the console's
/// "Refused to …" messages. Each journey must end with none. Each test first proves the collector works by having
/// the page try an inline script, which the policy must refuse and the collector must see.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new PostgresDatabaseFixture())
{
    // PostgreSQL and a web-only node: nothing runs queued executions, so what the admin starts waits to be cancelled.
    private readonly ConcurrentQueue<string> violations = new();

    protected override ConsoleAppFactory CreateApp() => new(Database, new Dictionary<string, string?> { ["Background:Role"] = "Web" });

    protected override Task SeedAsync() => SeedExecutionsAsync(40, randomSeed: 11);

    protected override BrowserNewContextOptions ContextOptions() => new() { ViewportSize = Desktop, AcceptDownloads = true };

    protected override async Task PrepareContextAsync(IBrowserContext context)
    {
        // The copy buttons write to the clipboard; without the permission that fails (not a policy matter).
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);

        // Injected by the browser's debugging protocol, so the policy under test does not apply to the collector.
        await context.ExposeFunctionAsync("reportCspViolation", (string text) => violations.Enqueue(text));
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e => window.reportCspViolation(
              `${e.effectiveDirective} refused ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} on ${document.location.pathname}`));
            """);
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Enqueue($"console: {message.Text}");
            }
        };
    }

    [Fact]
    public async Task Support_lists_searches_opens_an_execution_reads_a_steps_json_and_downloads_without_violations()
    {
        await SignInAndProveThePolicyAsync(Roles.Support);
        var target = await FailedExecutionAsync();

        await Page.GotoAsync("/executions");
        await Page.WaitUntilInteractiveAsync();
        await Assertions.Expect(Page.Locator("[data-testid=status-count-Failed]")).Not.ToHaveTextAsync("…");
        await Page.ClickAsync("[data-testid=status-chip-Failed]");
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("status=Failed"));
        await Page.Locator("[data-testid=list-search] input, input[data-testid=list-search]").First.FillAsync(target.BusinessKey!);
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("[?&]q="));
        await Page.Locator($"[data-testid=list-grid] a[href$='{target.Id}']").ClickAsync();

        await Page.WaitForURLAsync(url => url.Contains($"/executions/{target.Id}", StringComparison.Ordinal));
        await Page.Locator("[data-testid=step-details]").WaitForAsync();
        await Page.Locator("[data-testid=step-row]").First.ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("[?&]step="));
        var input = Page.Locator("[data-testid=step-input]");
        await input.Locator("[data-testid=json-raw-toggle]").ClickAsync();
        await input.Locator("[data-testid=json-raw]").WaitForAsync();
        await input.Locator("[data-testid=json-copy-all]").ClickAsync();
        var stepJson = await Page.RunAndWaitForDownloadAsync(() => input.Locator("[data-testid=json-download]").ClickAsync());
        Assert.EndsWith(".json", stepJson.SuggestedFilename, StringComparison.Ordinal);
        var execution = await Page.RunAndWaitForDownloadAsync(() => Page.ClickAsync("[data-testid=download-execution]"));
        Assert.Contains(target.Id.ToString(), execution.SuggestedFilename, StringComparison.Ordinal);

        await AssertNoViolationsAsync();
    }

    [Fact]
    public async Task Admin_triggers_cancels_reruns_manages_users_and_keys_and_reads_the_api_and_the_jobs_without_violations()
    {
        await SignInAndProveThePolicyAsync(Roles.Admin);

        // The trigger form: fields, the country autocomplete, the live preview; submitting opens the execution.
        await Page.ClickAsync("[data-testid=nav-new-execution]");
        await Page.ClickAsync("[data-testid=start-provision-customer]");
        await Page.Locator("[data-testid=trigger-form]").WaitForAsync();
        await FillAsync("customer-name", "Contoso Pharma");
        await Assertions.Expect(Field("customer-slug")).ToHaveValueAsync("contoso-pharma");
        await Page.ChooseOptionAsync(Field("customer-country"), "Germany", "Germany (DE)");
        await FillAsync("admin-email", "it@contoso.example");
        await FillAsync("trial-line-item", "00k000000000042");
        await FillAsync("trial-licenses", "10");
        await Assertions.Expect(Page.Locator("[data-testid=preview-ready]")).ToBeVisibleAsync();
        await Page.ClickAsync("[data-testid=start-provisioning]");
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/executions/[0-9a-f-]{36}$"));
        await Page.WaitUntilInteractiveAsync();

        // Cancel it (it waits: no worker on this node), then open the re-run dialog on it and re-run.
        await Page.ClickAsync("[data-testid=cancel-execution]");
        var cancel = Page.Locator("[data-testid=cancel-dialog]");
        await cancel.Locator("input[data-testid=cancel-reason]").FillAsync("wrong country, ticket 77");
        await Page.ClickAsync("[data-testid=submit-cancel]");
        await Page.Locator("[data-testid=execution-header] [data-testid=status-chip][data-status=Cancelled]").WaitForAsync();
        var cancelled = Page.Url;
        await Page.ClickAsync("[data-testid=rerun-execution]");
        var rerun = Page.Locator("[data-testid=rerun-dialog]");
        await rerun.WaitForAsync();
        await rerun.Locator("[data-testid=input-edit]").ClickAsync();
        await rerun.Locator("textarea[data-testid=input-editor]").WaitForAsync();
        await rerun.Locator("input[data-testid=rerun-reason]").FillAsync("country corrected, ticket 77");
        await Page.ClickAsync("[data-testid=submit-rerun]");
        await Page.WaitForURLAsync(url => url.Contains("/executions/", StringComparison.Ordinal) && url != cancelled);
        await Page.Locator("[data-testid=lineage-rerun-of]").WaitForAsync();

        // Users: the list, one user.
        await Page.GotoAsync("/users");
        await Page.WaitUntilInteractiveAsync();
        await Page.Locator("[data-testid=list-grid] [data-testid=row]", new PageLocatorOptions { HasTextString = "support@" }).First.ClickAsync();
        await Page.Locator("[data-testid=user-details]").WaitForAsync();

        // API keys: the list, a new key (its secret shown once, copied), the key's page.
        await Page.GotoAsync("/api-keys/new");
        await Page.WaitUntilInteractiveAsync();
        await FillAsync("api-key-name", "csp-journey");
        await Page.ClickAsync("[data-testid=create-api-key]");
        await Page.Locator("[data-testid=api-key-secret-panel]").WaitForAsync();
        await Page.ClickAsync("[data-testid=copy-api-key-secret]");
        await Page.ClickAsync("[data-testid=api-key-done]");
        await Page.Locator("[data-testid=api-key-details]").WaitForAsync();
        await Page.ClickAsync("[data-testid=back-to-api-keys]");
        await Page.Locator("[data-testid=list-grid] [data-testid=row]").First.WaitForAsync();

        // The API reference, with its copy button.
        await Page.ClickAsync("[data-testid=nav-api-reference]");
        await Page.Locator("[data-testid=api-operation]").First.WaitForAsync();
        await Page.ClickAsync("[data-testid=copy-curl]");

        // Hangfire's dashboard, under the same policy: the overview, whose script (if the policy let it run) draws
        // the live chart and polls for statistics, then a job list.
        var polled = Page.WaitForResponseAsync(response => response.Url.EndsWith("/jobs/stats", StringComparison.Ordinal) && response.Ok);
        await Page.GotoAsync("/jobs");
        await Page.Locator("#realtimeGraph").WaitForAsync();
        await polled;
        await Page.GotoAsync("/jobs/jobs/succeeded");
        await Page.Locator(".navbar-brand").WaitForAsync();

        await AssertNoViolationsAsync();
    }

    [Fact]
    public async Task Auditor_reads_the_audit_log_opens_an_entry_exports_and_verifies_without_violations()
    {
        await AdminTriggersAnExecutionAsync();
        await SignInAndProveThePolicyAsync(Roles.Auditor);

        await Page.ClickAsync("[data-testid=nav-audit]");
        await WaitForAddressAsync(url => url.EndsWith("/audit?show=changes", StringComparison.Ordinal));
        await Page.Locator("[data-testid=list-grid] [data-testid=row]").First.WaitForAsync();
        await Page.ClickAsync("[data-testid=audit-verify-button]");
        await Assertions.Expect(Page.Locator("[data-testid=audit-verify-result]")).ToHaveAttributeAsync("data-intact", "true");
        var export = await Page.RunAndWaitForDownloadAsync(() => Page.ClickAsync("[data-testid=list-export]"));
        Assert.EndsWith(".csv", export.SuggestedFilename, StringComparison.Ordinal);

        await Page.Locator("[data-testid=list-grid] [data-testid=row]").First.ClickAsync();
        await Page.WaitForURLAsync(new Regex("/audit/\\d+$"));
        await Assertions.Expect(Page.Locator("[data-testid=audit-entry-integrity]")).ToHaveAttributeAsync("data-intact", "true");

        await AssertNoViolationsAsync();
    }

    private ILocator Field(string testId) => Page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    // A MudBlazor field takes its value on change, which the browser fires when the field loses focus.
    private async Task FillAsync(string testId, string value)
    {
        await Field(testId).FillAsync(value);
        await Field(testId).PressAsync("Tab");
    }

    // The audit log opens on the changes, and the seed audits nothing: an admin triggers an execution so there is one.
    private async Task AdminTriggersAnExecutionAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = await users.FindByEmailAsync(DemoUsers.All.Single(u => u.Role == Roles.Admin).Email);
        var actor = await CurrentActor.ForUserAsync(users, admin!, "127.0.0.1");
        var model = await services.GetRequiredService<AppDbContext>().WorkflowExecutions.AsNoTracking().FirstAsync();
        await services.GetRequiredService<ExecutionService>().CreateAsync(model.DefinitionKey, model.InputJson, actor, default);
    }

    /// <summary>Signs in, then proves on the first console page that an inline script is refused and seen.</summary>
    private async Task SignInAndProveThePolicyAsync(string role)
    {
        await SignInAsync(role);
        await Page.WaitUntilInteractiveAsync();

        var ran = await Page.EvaluateAsync<bool>("""
            () => {
              const script = document.createElement('script');
              script.textContent = 'window.inlineScriptRan = true';
              document.body.appendChild(script);
              return window.inlineScriptRan === true;
            }
            """);
        Assert.False(ran);
        await WaitForAsync(() => violations.Any(v => v.StartsWith("script-src-elem refused inline", StringComparison.Ordinal)),
            () => "The inline script was refused, but no violation was collected; collected: " + string.Join("\n", violations));
        violations.Clear();
    }

    /// <summary>Violations are reported asynchronously: give the last page a moment to report before judging.</summary>
    private async Task AssertNoViolationsAsync()
    {
        await Page.GotoAsync("/");
        await Page.WaitUntilInteractiveAsync();
        await Page.EvaluateAsync("() => new Promise(resolve => setTimeout(resolve, 500))");
        Assert.True(violations.IsEmpty, "Content-Security-Policy violations:\n" + string.Join("\n", violations));
    }

    private static async Task WaitForAsync(Func<bool> condition, Func<string> failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            await Task.Delay(50);
        }
    }

    private async Task<WorkflowExecution> FailedExecutionAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Status == ExecutionStatus.Failed && e.BusinessKey != null)
            .OrderBy(e => e.CreatedAt)
            .FirstAsync();
    }
}
