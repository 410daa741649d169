using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The sales-led deal of user-journeys.md in real Chromium against the real app (Hangfire running in-process): an
/// admin opens the form from the navigation, submits a mistake, sees it at its field with everything else kept,
/// fixes it, starts the provisioning and watches the execution succeed on its page.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class TriggerProvisioningBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    private static readonly Regex ExecutionAddress = new("/executions/[0-9a-f-]{36}$");


    [Fact]
    public async Task An_admin_fixes_a_field_error_starts_a_provisioning_and_watches_it_succeed()
    {
        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);
        await SignInAsync(Roles.Admin);
        await Page.WaitUntilInteractiveAsync();
        await Page.ClickAsync("[data-testid=nav-new-execution]");
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/executions/new$"));
        await Page.ClickAsync("[data-testid=start-provision-customer]");
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/executions/new/provision-customer$"));
        await Page.Locator("[data-testid=trigger-form]").WaitForAsync();

        await FillAsync("customer-name", "Northwind Traders");
        await Assertions.Expect(Input("customer-slug")).ToHaveValueAsync("northwind-traders");
        await Page.ChooseOptionAsync(Input("customer-country"), "United States", "United States (US)");
        await FillAsync("admin-email", "ada@northwind.example");
        await Page.ClickAsync("[data-testid=add-admin-email]");
        var emails = Page.Locator("input[data-testid=admin-email]");
        await Assertions.Expect(emails).ToHaveCountAsync(2);
        await emails.Nth(1).FillAsync("grace@northwind");
        await emails.Nth(1).PressAsync("Tab");
        await FillAsync("trial-line-item", "00k000000000001");
        await FillAsync("trial-licenses", "25");
        await Page.GetByText("Add a learner-credit subsidy").ClickAsync();
        await FillAsync("subsidy-balance", "5000");

        await Page.ClickAsync("[data-testid=start-provisioning]");

        await Assertions.Expect(Page.GetByText("Admin email 2 must be a valid email address")).ToBeVisibleAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/executions/new/provision-customer$"));
        await Assertions.Expect(Input("customer-name")).ToHaveValueAsync("Northwind Traders");
        await Assertions.Expect(Input("customer-slug")).ToHaveValueAsync("northwind-traders");
        await Assertions.Expect(Input("customer-country")).ToHaveValueAsync("United States (US)");
        await Assertions.Expect(emails.Nth(0)).ToHaveValueAsync("ada@northwind.example");
        await Assertions.Expect(emails.Nth(1)).ToHaveValueAsync("grace@northwind");
        await Assertions.Expect(Input("trial-line-item")).ToHaveValueAsync("00k000000000001");
        await Assertions.Expect(Input("trial-licenses")).ToHaveValueAsync("25");
        await Assertions.Expect(Input("subsidy-balance")).ToHaveValueAsync("5000.00");

        await emails.Nth(1).FillAsync("grace@northwind.example");
        await emails.Nth(1).PressAsync("Tab");
        await Assertions.Expect(Page.GetByText("Admin email 2 must be a valid email address")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("[data-testid=preview-ready]")).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("[data-testid=preview-admins]")).ToContainTextAsync("2 admins invited");
        await ScreenshotWholeFormAsync();

        await Page.ClickAsync("[data-testid=start-provisioning]");

        await Assertions.Expect(Page).ToHaveURLAsync(ExecutionAddress);
        var header = Page.Locator("[data-testid=execution-header]");
        await Assertions.Expect(header.Locator("[data-testid=status-chip]")).ToHaveAttributeAsync("data-status", nameof(ExecutionStatus.Succeeded));
        await Assertions.Expect(Page.Locator("[data-testid=step-row][data-status=Succeeded]")).ToHaveCountAsync(9);
        await Assertions.Expect(Page.Locator("[data-testid=triggered-by]")).ToContainTextAsync(admin.Email);
        await Assertions.Expect(Page.Locator("[data-testid=business-key]")).ToHaveTextAsync("northwind-traders");

        await using var db = Database.CreateDbContext();
        var execution = await db.WorkflowExecutions.AsNoTracking().SingleAsync();
        Assert.EndsWith($"/executions/{execution.Id}", Page.Url, StringComparison.Ordinal);
        Assert.Equal((admin.Email, TriggerSource.Console), (execution.TriggeredBy, execution.TriggerSource));
        Assert.Equal("Northwind Traders", (await db.Customers.SingleAsync()).Name);
        Assert.Equal(500_000L, (await db.Subsidies.SingleAsync()).StartingBalanceCents);
    }

    // The app bar and drawer are fixed; a viewport as tall as the page shows the whole form without them drifting.
    private async Task ScreenshotWholeFormAsync()
    {
        var height = await Page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await Page.SetViewportSizeAsync(1440, height);
        await Page.ScreenshotAsync("trigger-form");
        await Page.SetViewportSizeAsync(1440, 900);
    }

    private ILocator Input(string testId) => Page.Locator($"input[data-testid={testId}]");

    // A MudBlazor field takes its value on change, which the browser fires when the field loses focus.
    private async Task FillAsync(string testId, string value)
    {
        await Input(testId).FillAsync(value);
        await Input(testId).PressAsync("Tab");
    }
}
