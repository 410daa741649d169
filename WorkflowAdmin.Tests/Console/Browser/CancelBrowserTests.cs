using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// An admin cancels an execution that is waiting to run, in real Chromium: the reason is required, the execution
/// ends Cancelled with its pending steps, and the page says who cancelled it and why.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class CancelBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    // A waiting execution stays waiting for this test: the node runs no executions.
    protected override ConsoleAppFactory CreateApp() => new(Database, services: ConsoleAppFactory.WithoutExecutionWorkers);

    protected override Task SeedAsync() => SeedExecutionsAsync(20, randomSeed: 5);

    protected override BrowserNewContextOptions ContextOptions() => new();

    [Fact]
    public async Task An_admin_cancels_a_waiting_execution_with_a_reason()
    {
        var waiting = await WaitingExecutionAsync();
        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);
        await SignInAsync(Roles.Admin);
        await Page.GotoAsync($"/executions/{waiting}");
        await Page.WaitUntilInteractiveAsync();

        await Page.Locator("[data-testid=cancel-execution]").ClickAsync();
        var dialog = Page.Locator("[data-testid=cancel-dialog]");
        await dialog.WaitForAsync();
        await Assertions.Expect(dialog.Locator("[data-testid=cancel-explanation]")).ToBeVisibleAsync();

        // No reason, no cancellation: the dialog says so and stays open.
        await Page.Locator("[data-testid=submit-cancel]").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("reason");
        Assert.Equal(ExecutionStatus.Pending, (await LoadAsync(waiting)).Status);

        await dialog.Locator("input[data-testid=cancel-reason]").FillAsync("customer withdrew, ticket 5120");
        await Page.Locator("[data-testid=submit-cancel]").ClickAsync();

        await Page.Locator("[data-testid=execution-header] [data-testid=status-chip][data-status=Cancelled]")
            .WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await Assertions.Expect(Page.Locator("[data-testid=execution-actions] [data-testid=cancel-execution]")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("[data-testid=execution-actions] [data-testid=rerun-execution]")).ToBeVisibleAsync();
        await Page.ScreenshotAsync("cancelled");

        var cancelled = await LoadAsync(waiting);
        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Equal(admin.Email, cancelled.CancelRequestedBy);
        Assert.Equal("customer withdrew, ticket 5120", cancelled.CancelReason);
        Assert.All(cancelled.Steps, s => Assert.Equal(ExecutionStatus.Cancelled, s.Status));
    }

    /// <summary>A provisioning that was created and is waiting for a worker: built from a seeded input, never queued.</summary>
    private async Task<Guid> WaitingExecutionAsync()
    {
        var registry = App.Services.GetRequiredService<WorkflowRegistry>();
        await using var db = Database.CreateDbContext();
        var template = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.DefinitionKey == "provision-customer")
            .OrderBy(e => e.CreatedAt)
            .FirstAsync();
        var definition = registry.Get(template.DefinitionKey);
        var input = PayloadSerializer.ParseInput(definition, template.InputJson);
        var execution = WorkflowExecution.Create(
            definition.Key, definition.Version, input.ComposedJson, input.BusinessKey, new WorkflowAdmin.Domain.Workflows.Trigger("ops@example.com", TriggerSource.Console),
            App.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
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
        await using var db = Database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking().Include(e => e.Steps).SingleAsync(e => e.Id == id);
    }
}
