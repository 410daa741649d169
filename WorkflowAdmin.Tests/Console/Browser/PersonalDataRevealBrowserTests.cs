using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The reveal journey of decision 0040 in real Chromium: an Admin opens a provisioning execution, sees the admins'
/// addresses masked, reveals them with a reason, sees them, and finds the reveal with its reason in the audit log
/// through the action filter (decision 0042).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PersonalDataRevealBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    private const string Reason = "ticket 4711: which admin address was invited";

    // The seeded rows hold still: no worker runs the seeded Pending executions meanwhile.
    protected override ConsoleAppFactory CreateApp() => new(Database, services: ConsoleAppFactory.WithoutExecutionWorkers);

    protected override Task SeedAsync() => SeedExecutionsAsync(30, randomSeed: 11);

    [Fact]
    public async Task An_admin_reveals_an_executions_personal_data_with_a_reason_and_the_audit_log_shows_it()
    {
        var (executionId, email) = await ProvisioningWithAdminsAsync();

        await SignInAsync(Roles.Admin);
        await Page.GotoAsync($"/executions/{executionId}?step={ProvisioningSteps.CreateAdmins}");
        await Page.WaitUntilInteractiveAsync();

        // Masked: chips in the step's input, the address nowhere on the page.
        var input = Page.Locator("[data-testid=step-input]");
        await Assertions.Expect(input.Locator("[data-testid=json-masked]").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.DoesNotContain(email, await Page.ContentAsync(), StringComparison.OrdinalIgnoreCase);
        await Assertions.Expect(Page.Locator("[data-testid=personal-data-notice]")).ToHaveAttributeAsync("data-revealed", "false");

        // Revealed with a reason: the values are on the page.
        await Page.ClickAsync("[data-testid=reveal-personal-data]");
        await Page.Locator("[data-testid=reveal-reason] input, input[data-testid=reveal-reason]").First.FillAsync(Reason);
        await Page.ClickAsync("[data-testid=submit-reveal]");
        await Assertions.Expect(Page.Locator("[data-testid=personal-data-notice]")).ToHaveAttributeAsync("data-revealed", "true", new() { Timeout = 60_000 });
        await Assertions.Expect(input).ToContainTextAsync(email, new() { Timeout = 60_000 });
        await Assertions.Expect(input.Locator("[data-testid=json-masked]")).ToHaveCountAsync(0);

        // The audit log, by its own menu entry: a reveal is a read, so it is under Everything, found by its action.
        await Page.ClickAsync("[data-testid=nav-audit]");
        await WaitForAddressAsync(url => url.EndsWith("/audit?show=changes", StringComparison.Ordinal));
        await Page.Locator("[data-testid=list-grid]").WaitForAsync(new() { Timeout = 60_000 });
        await Page.SelectOptionAsync("[data-testid=filter-show]", new SelectOptionValue { Label = "Everything" });
        await WaitForAddressAsync(url => url.Contains("show=" + WorkflowAdmin.Features.Audit.AuditAdmin.ShowEverything, StringComparison.Ordinal));
        await Page.ClickAsync("[data-testid=filter-action] summary");
        await Page.Locator("[data-testid=filter-action] label", new PageLocatorOptions { HasText = "Revealed personal data" }).ClickAsync();
        await Page.ClickAsync("[data-testid=list-title]");
        await WaitForAddressAsync(url => url.Contains("action=" + AuditActions.PersonalDataRevealed, StringComparison.Ordinal));

        var rows = Page.Locator("[data-testid=list-grid] tbody tr", new PageLocatorOptions { Has = Page.Locator($"[data-action='{AuditActions.PersonalDataRevealed}']") });
        await Assertions.Expect(rows).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(rows.First).ToContainTextAsync(Reason);
        await Assertions.Expect(rows.First).ToContainTextAsync(executionId.ToString()[..8]);
        await Page.ScreenshotAsync("audit-reveal");
    }

    // A succeeded provisioning whose create-admins step holds at least one address.
    private async Task<(Guid ExecutionId, string Email)> ProvisioningWithAdminsAsync()
    {
        await using var db = Database.CreateDbContext();
        var steps = await db.StepExecutions
            .Where(s => s.StepKey == ProvisioningSteps.CreateAdmins && EF.Functions.Like(s.InputJson, "%@%"))
            .Join(db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Succeeded), s => s.ExecutionId, e => e.Id, (s, e) => new { e.Id, s.InputJson })
            .Take(1)
            .ToListAsync();
        var step = Assert.Single(steps);
        var email = JsonNode.Parse(step.InputJson)!["userEmails"]![0]!.GetValue<string>();
        return (step.Id, email);
    }
}
