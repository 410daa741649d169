using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Console.Admin;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// Live updates end to end in real Chromium: the real app's change feed on its real clock, the real background
/// worker (Hangfire) running the execution, and a list that nobody reloads.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class LiveUpdatesBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture database = new();
    private ConsoleAppFactory app = null!;
    private IBrowserContext context = null!;
    private IPage page = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        app = new ConsoleAppFactory(database);
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
    public async Task An_execution_started_elsewhere_appears_in_the_open_list_and_finishes_there()
    {
        var support = DemoUsers.All.Single(u => u.Role == Roles.Support);
        await page.SignInAsync(app.BaseAddress, support.Email, support.Password);
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync("/executions");
        await page.WaitUntilInteractiveAsync();
        await page.Locator("[data-testid=list-empty]").WaitForAsync();

        var id = await StartProvisioningAsync("Contoso Live", "contoso-live");

        var row = page.Locator("[data-testid=list-grid] tbody tr").Filter(new LocatorFilterOptions { Has = page.Locator($"a[href$='{id}']") });
        await Assertions.Expect(row.Locator("[data-testid=status-chip]")).ToHaveAttributeAsync("data-status", "Succeeded");
        await Assertions.Expect(page.Locator("[data-testid=status-count-Succeeded]")).ToHaveTextAsync("1");
        Assert.EndsWith("/executions", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync("executions-list-live");
    }

    // As an operator on another screen would: the execution is committed, then queued for the background worker.
    private async Task<Guid> StartProvisioningAsync(string name, string slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.DirectoryUsers.Add(DirectoryUser.Create($"ada@{slug}.example", "Ada Lovelace", DateTime.UtcNow));
        await db.SaveChangesAsync();
        var execution = await scope.ServiceProvider.GetRequiredService<ExecutionService>()
            .CreateAsync("provision-customer", AdminTestData.Input(name, slug).ToJsonString(), TestActors.Admin, default);
        return execution.Id;
    }
}
