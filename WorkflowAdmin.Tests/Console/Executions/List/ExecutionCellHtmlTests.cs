using Bunit;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.ThirdWorkflow;

namespace WorkflowAdmin.Tests.Console.Executions.List;

/// <summary>
/// List cells are HTML strings the console writes itself (decision 0049), and business keys, error messages, step keys
/// and who triggered a run come from callers: every one of them must reach the page as text, never as markup.
/// </summary>
public sealed class ExecutionCellHtmlTests : IAsyncDisposable
{
    private const string Hostile = "\"><img src=x onerror=alert(1)><script>alert('x')</script>&amp; ü";
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private readonly BunitContext context = new();

    [Fact]
    public void Values_from_data_are_text_in_every_cell_however_they_are_written()
    {
        var admin = new ExecutionsAdmin(new WorkflowRegistry([new ShipOrderWorkflow()]));
        var row = new ExecutionRow
        {
            Id = Guid.NewGuid(),
            Workflow = Hostile,
            BusinessKey = Hostile,
            Status = ExecutionStatus.Failed,
            CurrentStep = Hostile,
            TriggeredBy = Hostile,
            Source = TriggerSource.Api,
            CreatedAt = Now.AddMinutes(-3),
            StartedAt = Now.AddMinutes(-3),
            FinishedAt = Now.AddMinutes(-2),
            IsRerun = false,
            ResolvedByExecutionId = Guid.NewGuid(),
            FailedStep = Hostile,
            Error = Hostile,
        };

        foreach (var column in admin.Columns)
        {
            var cell = context.Render(column.RenderCell(row, Now));

            Assert.Empty(cell.FindAll("img, script"));
            Assert.All(cell.FindAll("*"), element => Assert.DoesNotContain(element.Attributes, a => a.Name.StartsWith("on", StringComparison.Ordinal)));
        }

        Assert.Equal(Hostile, Cell(admin, row, "Business key").Find("span").TextContent);
        Assert.Equal(Hostile, Cell(admin, row, "Business key").Find("span").GetAttribute("title"));
        Assert.Equal(Hostile, Cell(admin, row, "Triggered by").Find("span").TextContent);
        Assert.Equal(Hostile, Cell(admin, row, "Workflow").Find("span").TextContent);
        Assert.Equal(Hostile, Cell(admin, row, "Step").Find("span").GetAttribute("title"));
        var error = Cell(admin, row, "Error").Find("[data-testid=execution-error]");
        Assert.Equal(Hostile + Hostile, error.TextContent);
        Assert.Equal($"{Hostile}: {Hostile}", error.GetAttribute("title"));
        Assert.Equal("Failed", Cell(admin, row, "Status").Find("[data-testid=status-chip]").TextContent);
        Assert.Equal("1 min 0 s", Cell(admin, row, "Duration").Find("[data-testid=execution-duration]").TextContent);
        Assert.Equal("3 min ago", Cell(admin, row, "Created").Find("time").TextContent);
    }

    [Fact]
    public void A_run_in_progress_keeps_its_ticking_duration_and_a_finished_one_is_one_markup_string()
    {
        var admin = new ExecutionsAdmin(new WorkflowRegistry([new ShipOrderWorkflow()]));
        var duration = admin.Columns.Single(c => c.Title == "Duration");
        var running = new ExecutionRow
        {
            Id = Guid.NewGuid(), Workflow = "ship-order", Status = ExecutionStatus.Running, TriggeredBy = "ops", Source = TriggerSource.Console,
            CreatedAt = Now, StartedAt = Now, IsRerun = false,
        };

        Assert.Null(duration.CellHtml(running, Now));
        Assert.NotNull(duration.CellHtml(running with { Status = ExecutionStatus.Succeeded, FinishedAt = Now.AddSeconds(2) }, Now));
    }

    [Fact]
    public void A_status_cell_is_one_string_shared_by_every_row_and_a_resolved_failure_gets_its_own()
    {
        var admin = new ExecutionsAdmin(new WorkflowRegistry([new ShipOrderWorkflow()]));
        var status = admin.Columns.Single(c => c.Title == "Status");
        ExecutionRow Failed() => new()
        {
            Id = Guid.NewGuid(), Workflow = "ship-order", Status = ExecutionStatus.Failed, TriggeredBy = "ops", Source = TriggerSource.Console,
            CreatedAt = Now, IsRerun = false,
        };
        string Td(ExecutionRow row) => status.TdHtml(status.CellHtml(row, Now)!, shared: status.SharesCell(row));

        var first = Td(Failed());
        var resolved = Failed() with { ResolvedByExecutionId = Guid.NewGuid() };

        Assert.Same(first, Td(Failed()));
        Assert.False(status.SharesCell(resolved));
        Assert.Contains("execution-resolved", Td(resolved), StringComparison.Ordinal);
        Assert.NotSame(Td(resolved), Td(resolved));
    }

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Cell(ExecutionsAdmin admin, ExecutionRow row, string title) =>
        context.Render(admin.Columns.Single(c => c.Title == title).RenderCell(row, Now));

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
