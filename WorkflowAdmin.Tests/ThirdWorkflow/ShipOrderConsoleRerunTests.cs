using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.ThirdWorkflow;

/// <summary>
/// Issue 13, "Done when": the workflow only the test project registers (<see cref="ShipOrderWorkflow"/>) is re-run
/// and audited through the console, not only through <see cref="ExecutionService"/>. An admin opens a failed ShipOrder
/// execution's page, re-runs it through the re-run dialog with a corrected input and a reason, and the original's
/// Audit tab shows the re-run entry, by that admin, linked to the new execution, which then succeeds. Per provider.
/// </summary>
public abstract class ShipOrderConsoleRerunTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly ConsoleTestContext context = CreateContext(database);

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task A_failed_ship_order_is_rerun_from_its_page_and_the_rerun_is_on_its_audit_tab()
    {
        var admin = await context.SignInAsUserAsync(Roles.Admin);
        var originalId = await RunFailingAsync();
        var dialogs = context.Render<MudDialogProvider>();
        var page = RenderPage(originalId);

        page.WaitForElement("[data-testid=rerun-execution]").Click();
        dialogs.WaitForElement("[data-testid=rerun-dialog]");
        dialogs.WaitForAssertion(() => Assert.False(Submit(dialogs).HasAttribute("disabled")));
        // The pack step failed, so it and the step after it run again; nothing is reused.
        Assert.Equal([ShipOrderWorkflow.PackStep, ShipOrderWorkflow.NotifyStep], Planned(dialogs, "rerun-steps"));
        Assert.Empty(Planned(dialogs, "reused-steps"));

        // The order number the pack step refuses is corrected in the dialog's editor.
        var edit = dialogs.FindComponent<MudRadioGroup<bool>>();
        await edit.InvokeAsync(() => edit.Instance.ValueChanged.InvokeAsync(true));
        var original = dialogs.WaitForElement("textarea[data-testid=input-editor]").GetAttribute("value")!;
        Assert.Contains("\"FAIL-7\"", original, StringComparison.Ordinal);
        var corrected = original.Replace("\"FAIL-7\"", "\"ORD-7\"", StringComparison.Ordinal);
        dialogs.Find("textarea[data-testid=input-editor]").Input(corrected);
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll("[data-testid=diff-row][data-change=true]")));
        dialogs.Find("input[data-testid=rerun-reason]").Input("ticket 5150: order number mistyped");
        Submit(dialogs).Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=rerun-dialog]")));
        WorkflowExecution rerun;
        await using (var db = database.CreateDbContext())
        {
            rerun = await db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.RerunOfId == originalId);
        }

        Assert.Equal(ShipOrderWorkflow.WorkflowKey, rerun.DefinitionKey);
        Assert.Contains("\"ORD-7\"", rerun.InputJson, StringComparison.Ordinal);
        var navigation = context.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith($"executions/{rerun.Id}", navigation.Uri, StringComparison.Ordinal));
        Assert.Equal(RunOutcome.Succeeded, await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(rerun.Id, default));

        var audit = await OpenAuditTabAsync(originalId);
        var rows = audit.FindAll("[data-testid=execution-audit-entry]");
        Assert.Equal([AuditActions.ExecutionTriggered, AuditActions.ExecutionRerun], rows.Select(r => r.GetAttribute("data-action")));
        Assert.Contains(admin.UserName!, rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("ticket 5150: order number mistyped", rows[1].TextContent, StringComparison.Ordinal);
        var details = rows[1].QuerySelector("[data-testid=execution-audit-details]")!;
        Assert.Equal($"/executions/{rerun.Id}", details.QuerySelector("a")!.GetAttribute("href"));

        var created = (await OpenAuditTabAsync(rerun.Id)).Find("[data-testid=execution-audit-entry] [data-testid=execution-audit-details]");
        Assert.Contains("Created this execution as a re-run of", created.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/executions/{originalId}", created.QuerySelector("a")!.GetAttribute("href"));
    }

    private static AngleSharp.Dom.IElement Submit(IRenderedComponent<MudDialogProvider> dialogs) => dialogs.Find("button[data-testid=submit-rerun]");

    private static List<string?> Planned(IRenderedComponent<MudDialogProvider> dialogs, string list) =>
        [.. dialogs.FindAll($"[data-testid={list}] [data-testid=planned-step]").Select(s => s.GetAttribute("data-step"))];

    private IRenderedComponent<ExecutionDetailPage> RenderPage(Guid id)
    {
        var page = context.Render<ExecutionDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=execution-loading]")));
        return page;
    }

    private async Task<IRenderedComponent<ExecutionDetailPage>> OpenAuditTabAsync(Guid id)
    {
        var page = RenderPage(id);
        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Audit").Click(new MouseEventArgs()));
        page.WaitForElement("[data-testid=execution-audit-entries]");
        return page;
    }

    // Created as the API or the generated form would (both tested elsewhere), then run: the pack step refuses FAIL-*.
    private async Task<Guid> RunFailingAsync()
    {
        Guid id;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .CreateAsync(ShipOrderWorkflow.WorkflowKey, ShipOrderWorkflow.ExampleInput("FAIL-7"), TestActors.Admin, default)).Id;
        }

        Assert.Equal(RunOutcome.Failed, await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(id, default));
        return id;
    }

    private static ConsoleTestContext CreateContext(TDatabase database)
    {
        var context = new ConsoleTestContext(database);
        context.Services.AddSingleton<WorkflowDefinition, ShipOrderWorkflow>();
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }
}

public sealed class SqliteShipOrderConsoleRerunTests(SqliteDatabaseFixture database)
    : ShipOrderConsoleRerunTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresShipOrderConsoleRerunTests(PostgresDatabaseFixture database)
    : ShipOrderConsoleRerunTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
