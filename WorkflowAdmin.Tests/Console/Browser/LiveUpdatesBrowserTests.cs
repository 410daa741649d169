using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Tests.Console.Admin;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// Live updates end to end in real Chromium: the real app's change feed on its real clock, the real background
/// worker (Hangfire) running the execution, and a list that nobody reloads.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class LiveUpdatesBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    [Fact]
    public async Task An_execution_started_elsewhere_appears_in_the_open_list_and_finishes_there()
    {
        await SignInAsync(Roles.Support);
        await Page.GotoAsync("/executions");
        await Page.WaitUntilInteractiveAsync();
        await Page.Locator("[data-testid=list-empty]").WaitForAsync();

        var id = await StartProvisioningAsync("Contoso Live", "contoso-live");

        var row = Page.Locator("[data-testid=list-grid] tbody tr").Filter(new LocatorFilterOptions { Has = Page.Locator($"a[href$='{id}']") });
        await Assertions.Expect(row.Locator("[data-testid=status-chip]")).ToHaveAttributeAsync("data-status", "Succeeded");
        await Assertions.Expect(Page.Locator("[data-testid=status-count-Succeeded]")).ToHaveTextAsync("1");
        Assert.EndsWith("/executions", Page.Url, StringComparison.Ordinal);
        await Page.ScreenshotAsync("executions-list-live");
    }

    // As an operator on another screen would: the execution is committed, then queued for the background worker.
    private async Task<Guid> StartProvisioningAsync(string name, string slug)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.DirectoryUsers.Add(DirectoryUser.Create($"ada@{slug}.example", "Ada Lovelace", DateTime.UtcNow));
        await db.SaveChangesAsync();
        var execution = await scope.ServiceProvider.GetRequiredService<ExecutionService>()
            .CreateAsync("provision-customer", AdminTestData.Input(name, slug).ToJsonString(), TestActors.Admin, default);
        return execution.Id;
    }
}
