using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// An admin cancels an execution that is waiting to run, in real Chromium: the reason is required, the execution
/// ends Cancelled with its pending steps, and the page says who cancelled it and why.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class CancelBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture database = new();
    private ConsoleAppFactory app = null!;
    private IBrowserContext context = null!;
    private IPage page = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();

        // A waiting execution stays waiting for this test: the node runs no executions.
        app = new ConsoleAppFactory(database, services: ConsoleAppFactory.WithoutExecutionWorkers);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(20, RandomSeed: 5), default);
        }

        context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        page = await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task An_admin_cancels_a_waiting_execution_with_a_reason()
    {
        var waiting = await WaitingExecutionAsync();
        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);
        await page.SignInAsync(app.BaseAddress, admin.Email, admin.Password);
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync($"/executions/{waiting}");
        await page.WaitUntilInteractiveAsync();

        await page.Locator("[data-testid=cancel-execution]").ClickAsync();
        var dialog = page.Locator("[data-testid=cancel-dialog]");
        await dialog.WaitForAsync();
        await Assertions.Expect(dialog.Locator("[data-testid=cancel-explanation]")).ToBeVisibleAsync();

        // No reason, no cancellation: the dialog says so and stays open.
        await page.Locator("[data-testid=submit-cancel]").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("reason");
        Assert.Equal(ExecutionStatus.Pending, (await LoadAsync(waiting)).Status);

        await dialog.Locator("input[data-testid=cancel-reason]").FillAsync("customer withdrew, ticket 5120");
        await page.Locator("[data-testid=submit-cancel]").ClickAsync();

        await page.Locator("[data-testid=execution-header] [data-testid=status-chip][data-status=Cancelled]")
            .WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=execution-actions] [data-testid=cancel-execution]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=execution-actions] [data-testid=rerun-execution]")).ToBeVisibleAsync();
        await page.ScreenshotAsync("cancelled");

        var cancelled = await LoadAsync(waiting);
        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Equal(admin.Email, cancelled.CancelRequestedBy);
        Assert.Equal("customer withdrew, ticket 5120", cancelled.CancelReason);
        Assert.All(cancelled.Steps, s => Assert.Equal(ExecutionStatus.Cancelled, s.Status));
    }

    /// <summary>A provisioning that was created and is waiting for a worker: built from a seeded input, never queued.</summary>
    private async Task<Guid> WaitingExecutionAsync()
    {
        var registry = app.Services.GetRequiredService<WorkflowRegistry>();
        await using var db = database.CreateDbContext();
        var template = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.DefinitionKey == "provision-customer")
            .OrderBy(e => e.CreatedAt)
            .FirstAsync();
        var definition = registry.Get(template.DefinitionKey);
        var input = PayloadSerializer.ParseInput(definition, template.InputJson);
        var execution = WorkflowExecution.Create(
            definition.Key, definition.Version, input.ComposedJson, input.BusinessKey, new WorkflowAdmin.Domain.Workflows.Trigger("ops@example.com", TriggerSource.Console),
            app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        foreach (var step in definition.Steps)
        {
            execution.AddPendingStep(step.Key, input.StepInputJson[step.Key]);
        }

        db.WorkflowExecutions.Add(execution);
        await db.SaveChangesAsync();
        return execution.Id;
    }

    private async Task<WorkflowExecution> LoadAsync(Guid id)
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking().Include(e => e.Steps).SingleAsync(e => e.Id == id);
    }
}
