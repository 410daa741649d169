using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Features.Provisioning;
using WorkflowAdmin.Features.Start;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;
using WorkflowAdmin.Tests.ThirdWorkflow;

namespace WorkflowAdmin.Tests.Console.Start;

/// <summary>
/// The start pages for a workflow that only the test project registers (<see cref="ShipOrderWorkflow"/>): offered on
/// <c>/executions/new</c>, a form generated from its steps' schemas with the steps' own errors at their paths, input
/// kept on a failed submit, "start like this one", and its execution's page. Over a real database, per provider.
/// </summary>
public abstract class GeneratedStartFormTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly ConsoleTestContext context = Create(database);

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task The_new_execution_page_offers_every_registered_workflow()
    {
        await context.SignInAsUserAsync(Roles.Admin);

        var page = context.Render<NewExecutionPage>();

        var start = page.WaitForElement($"[data-testid=start-{ShipOrderWorkflow.WorkflowKey}]");
        Assert.Equal($"/executions/new/{ShipOrderWorkflow.WorkflowKey}", start.GetAttribute("href"));
        var registry = context.Services.GetRequiredService<WorkflowRegistry>();
        Assert.All(registry.All, w => Assert.NotNull(page.Find($"[data-testid=workflow-{w.Key}]")));
        Assert.Contains("Packs an order", page.Find($"[data-testid=workflow-{ShipOrderWorkflow.WorkflowKey}]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_input_property_gets_a_field_of_its_kind()
    {
        await context.SignInAsUserAsync(Roles.Admin);

        var page = Render();

        Assert.Equal("text", Input(page, "pack-order.orderNumber").GetAttribute("type"));
        Assert.NotNull(Input(page, "pack-order.declaredValue"));
        Assert.Equal("checkbox", page.Find("input[type=checkbox]").GetAttribute("type"));
        Assert.NotEmpty(page.FindAll(Field("pack-order.carrier")));
        Assert.NotEmpty(page.FindAll(Field("pack-order.shipOn")));
        Assert.Empty(page.FindAll("[data-testid=list-item]"));
        page.Find("[data-testid='add-pack-order.lines']").Click();

        // The row appears once the click's handler has run (MudBlazor's buttons handle clicks asynchronously).
        page.WaitForElement($"input{Field("pack-order.lines[0].sku")}");
        Assert.NotNull(Input(page, "pack-order.lines[0].quantity"));
        Assert.NotNull(Input(page, "notify-buyer.note"));
    }

    [Fact]
    public async Task A_failed_submit_shows_each_error_at_its_path_keeps_the_input_and_clears_an_error_once_fixed()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        var page = Render();
        page.Find("[data-testid='add-pack-order.lines']").Click();
        page.WaitForElement($"input{Field("pack-order.lines[0].sku")}");
        page.Find("[data-testid='add-pack-order.lines']").Click();
        page.WaitForElement($"input{Field("pack-order.lines[1].sku")}");
        Input(page, "pack-order.lines[0].sku").Change("BOOK-1");
        Input(page, "pack-order.lines[0].quantity").Change("2");
        Input(page, "pack-order.lines[1].sku").Change("PEN-7");
        Input(page, "pack-order.lines[1].quantity").Change("0");
        Input(page, "notify-buyer.email").Change("nobody");

        page.Find("[data-testid=start-execution]").Click();

        // The step's own rules (engine) and what the form could not send (an empty date, no carrier), each at its path.
        page.WaitForElement("[data-testid=start-errors]");
        Assert.Contains("is required", ErrorAt(page, "pack-order.orderNumber"), StringComparison.Ordinal);
        Assert.Contains("must be at least 1", ErrorAt(page, "pack-order.lines[1].quantity"), StringComparison.Ordinal);
        Assert.Contains("must be an email address", ErrorAt(page, "notify-buyer.email"), StringComparison.Ordinal);
        Assert.Contains("is required", ErrorAt(page, "pack-order.shipOn"), StringComparison.Ordinal);
        Assert.Contains("is required", ErrorAt(page, "pack-order.carrier"), StringComparison.Ordinal);
        Assert.Equal("", ErrorAt(page, "pack-order.lines[0].quantity"));
        Assert.Equal(0, await CountAsync());

        // Everything typed is still there.
        Assert.Equal("BOOK-1", Input(page, "pack-order.lines[0].sku").GetAttribute("value"));
        Assert.Equal("PEN-7", Input(page, "pack-order.lines[1].sku").GetAttribute("value"));
        Assert.Equal("nobody", Input(page, "notify-buyer.email").GetAttribute("value"));

        // Fixing a field clears its error at once; the others stay.
        Input(page, "notify-buyer.email").Change("buyer@example.com");
        page.WaitForAssertion(() => Assert.Equal("", ErrorAt(page, "notify-buyer.email")));
        Assert.Contains("must be at least 1", ErrorAt(page, "pack-order.lines[1].quantity"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_like_this_one_prefills_every_field_and_a_submit_starts_a_new_execution_with_the_same_input()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        Guid sourceId;
        string sourceInput;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            var source = await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .CreateAsync(ShipOrderWorkflow.WorkflowKey, ShipOrderWorkflow.ExampleInput("ORD-9"), TestActors.Admin, default);
            (sourceId, sourceInput) = (source.Id, source.InputJson);
        }

        // The execution's page links to the generic form for its workflow.
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var detail = context.Render<ExecutionDetailPage>(p => p.Add(x => x.Id, sourceId));
        var like = detail.WaitForElement("[data-testid=start-like-this]");
        Assert.Equal($"/executions/new/{ShipOrderWorkflow.WorkflowKey}?from={sourceId}", like.GetAttribute("href"));
        Assert.Contains("Pack the order", detail.Markup, StringComparison.Ordinal);

        Navigation.NavigateTo($"executions/new/{ShipOrderWorkflow.WorkflowKey}?from={sourceId}");
        var page = Render();

        page.WaitForElement("[data-testid=prefill-notice]");
        Assert.Equal("ORD-9", Input(page, "pack-order.orderNumber").GetAttribute("value"));
        Assert.Equal(2, page.FindAll("[data-testid=list-item]").Count);
        Assert.Equal("PEN-7", Input(page, "pack-order.lines[1].sku").GetAttribute("value"));
        Assert.Equal("buyer@example.com", Input(page, "notify-buyer.email").GetAttribute("value"));

        page.Find("[data-testid=start-execution]").Click();

        page.WaitForAssertion(() => Assert.DoesNotContain("/executions/new", Navigation.Uri, StringComparison.Ordinal));
        await using var db = database.CreateDbContext();
        var created = await db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.Id != sourceId);
        Assert.EndsWith($"/executions/{created.Id}", Navigation.Uri, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sourceInput), JsonNode.Parse(created.InputJson)), created.InputJson);
    }

    [Fact]
    public async Task An_admin_limited_to_other_workflows_sees_this_one_disabled_with_the_reason_and_the_change_is_audited()
    {
        var user = await context.SignInAsUserAsync(Roles.Admin);
        await using (var scope = context.Services.CreateAsyncScope())
        {
            var changed = await scope.ServiceProvider.GetRequiredService<UserAccounts>()
                .SetWorkflowsAsync(TestActors.Admin, user.Id, [ProvisioningWorkflow.WorkflowKey]);
            Assert.True(changed.Succeeded, string.Join(" ", changed.Errors));
            var refused = await scope.ServiceProvider.GetRequiredService<UserAccounts>().SetWorkflowsAsync(TestActors.Admin, user.Id, ["no-such-workflow"]);
            Assert.False(refused.Succeeded);
        }

        var chooser = context.Render<NewExecutionPage>();

        var start = chooser.WaitForElement($"[data-testid=start-{ShipOrderWorkflow.WorkflowKey}]");
        Assert.True(start.HasAttribute("disabled"));
        Assert.Contains("only other workflows", chooser.Find($"[data-testid=not-allowed-{ShipOrderWorkflow.WorkflowKey}]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/executions/new/{ProvisioningWorkflow.WorkflowKey}", chooser.Find($"[data-testid=start-{ProvisioningWorkflow.WorkflowKey}]").GetAttribute("href"));
        var page = context.Render<StartWorkflowPage>(p => p.Add(x => x.Key, ShipOrderWorkflow.WorkflowKey));
        page.WaitForElement("[data-testid=workflow-not-allowed]");
        Assert.Empty(page.FindAll("[data-testid=start-form]"));

        await using var db = database.CreateDbContext();
        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.UserWorkflowsChanged && a.TargetId == user.Id);
        Assert.Contains(ProvisioningWorkflow.WorkflowKey, audit.AfterJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_workflow_says_so()
    {
        await context.SignInAsUserAsync(Roles.Admin);

        var page = context.Render<StartWorkflowPage>(p => p.Add(x => x.Key, "no-such-workflow"));

        Assert.Contains("no-such-workflow", page.WaitForElement("[data-testid=unknown-workflow]").TextContent, StringComparison.Ordinal);
    }

    private static ConsoleTestContext Create(TDatabase database)
    {
        var context = new ConsoleTestContext(database);
        context.Services.AddSingleton<WorkflowDefinition, ShipOrderWorkflow>();
        context.Services.AddStartForms().AddProvisioningConsole();
        return context;
    }

    private IRenderedComponent<StartWorkflowPage> Render()
    {
        var page = context.Render<StartWorkflowPage>(p => p.Add(x => x.Key, ShipOrderWorkflow.WorkflowKey));
        page.WaitForElement("[data-testid=start-form]");
        return page;
    }

    private async Task<int> CountAsync()
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.CountAsync();
    }

    private static string Field(string path) => $"[data-testid='field-{path}']";

    private static IElement Input(IRenderedComponent<StartWorkflowPage> page, string path) => page.Find($"input{Field(path)}");

    private static string ErrorAt(IRenderedComponent<StartWorkflowPage> page, string path) =>
        string.Join(" ", page.FindAll($"[data-testid='error-{path}']").Select(e => e.TextContent.Trim()));
}

public sealed class SqliteGeneratedStartFormTests(SqliteDatabaseFixture database)
    : GeneratedStartFormTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresGeneratedStartFormTests(PostgresDatabaseFixture database)
    : GeneratedStartFormTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
