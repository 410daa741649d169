using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.Compare;

/// <summary>
/// The compare page over executions made by the real engine (the arithmetic test workflow, and a one-step workflow
/// that shares its first step): what is offered, differing steps first and open, unchanged ones folded away, and a
/// clear message for what cannot be compared. Run once per provider.
/// </summary>
public abstract class ExecutionComparePageTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly ConsoleTestContext context = CreateContext(database);

    private StepProbe Probe => context.Services.GetRequiredService<StepProbe>();

    public async Task InitializeAsync()
    {
        await context.InitializeAsync();
        context.SignInAs(Roles.Support);
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task A_failure_and_its_rerun_show_the_differing_steps_first_and_open_and_the_unchanged_ones_folded()
    {
        var success = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"},"describe":{"prefix":"sq"}}""");
        Probe.FailNext("describe");
        var failure = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"},"describe":{"prefix":"sq"}}""");
        var rerun = await RerunAsync(failure, """{"add":{"a":2,"b":3,"label":"acme"},"describe":{"prefix":"sum"}}""");

        var page = RenderPage(failure, rerun);

        Assert.Equal(failure.ToString(), page.Find("[data-testid=compare-side-A]").GetAttribute("data-id"));
        Assert.Equal(rerun.ToString(), page.Find("[data-testid=compare-side-B]").GetAttribute("data-id"));
        Assert.Equal("Failed", page.Find("[data-testid=compare-side-A] [data-testid=compare-status]").TextContent);
        Assert.Contains("compare-differs", page.Find("[data-testid=compare-side-A] [data-testid=compare-status]").ClassList);
        Assert.DoesNotContain("compare-differs", page.Find("[data-testid=compare-side-A] [data-testid=compare-workflow]").ClassList);

        // "describe" failed on A and ran with another prefix on B; "add" and "square" were reused, unchanged.
        Assert.StartsWith("1 step differs", page.Find("[data-testid=compare-summary]").TextContent.Trim(), StringComparison.Ordinal);
        var differing = page.Find("[data-testid=compare-differing-steps]").QuerySelectorAll("[data-testid=compare-step]");
        var describe = Assert.Single(differing);
        Assert.Equal("describe", describe.GetAttribute("data-step"));
        Assert.Contains("Failed", describe.QuerySelector("[data-testid=compare-step-left]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Succeeded", describe.QuerySelector("[data-testid=compare-step-right]")!.TextContent, StringComparison.Ordinal);
        var prefix = Assert.Single(describe.QuerySelectorAll("[data-testid=compare-changes-input] [data-testid=compare-change]"));
        Assert.Equal(["prefix", "\"sq\"", "\"sum\""], prefix.QuerySelectorAll("td").Select(td => td.TextContent));
        var output = Assert.Single(describe.QuerySelectorAll("[data-testid=compare-changes-output] [data-testid=compare-change]"));
        Assert.Equal(("$", "Added"), (output.GetAttribute("data-path"), output.GetAttribute("data-kind")));
        Assert.Equal("Removed", describe.QuerySelector("[data-testid=compare-changes-error] [data-testid=compare-change]")!.GetAttribute("data-kind"));

        // The differing step is open; the unchanged steps sit in one folded panel, until it is opened.
        Assert.Contains("mud-panel-expanded", describe.ClassList);
        var folded = page.Find("[data-testid=compare-unchanged-panel]");
        Assert.Contains("2 unchanged steps", folded.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("mud-panel-expanded", folded.ClassList);
        await page.InvokeAsync(() => page.Find("[data-testid=compare-unchanged-panel] .mud-expand-panel-header").ClickAsync(new MouseEventArgs()));
        Assert.Contains("mud-panel-expanded", page.Find("[data-testid=compare-unchanged-panel]").ClassList);
        var unchanged = page.FindAll("[data-testid=compare-unchanged] [data-testid=compare-step]");
        Assert.Equal(["add", "square"], unchanged.Select(s => s.GetAttribute("data-step")));
        Assert.All(unchanged, s => Assert.Equal("false", s.GetAttribute("data-differs")));

        // What else this failure is worth comparing with.
        Assert.Equal(
            [("Rerun", rerun.ToString()), ("LastSucceeded", success.ToString())],
            page.FindAll("[data-testid=compare-candidate]").Select(c => (c.GetAttribute("data-relation")!, c.GetAttribute("data-id")!)));
    }

    [Fact]
    public async Task Without_a_second_execution_it_offers_the_candidates_and_takes_a_typed_id()
    {
        var success = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"}}""");
        var other = await RunNewAsync("""{"add":{"a":5,"b":5,"label":"globex"}}""");

        var page = RenderPage(success, null);

        Assert.Empty(page.FindAll("[data-testid=compare-candidate]"));
        Assert.Contains("type an execution id", page.Find("[data-testid=compare-no-candidates]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=compare-side-A]"));

        await TypeAsync(page, "northwind");
        Assert.Contains("That is not an execution id", page.Find(".compare-id").TextContent, StringComparison.Ordinal);
        await TypeAsync(page, success.ToString());
        Assert.Contains("That is this execution", page.Find(".compare-id").TextContent, StringComparison.Ordinal);

        await TypeAsync(page, $"  {other}  ");
        Assert.EndsWith($"/executions/{success}/compare/{other}", context.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_id_gets_a_clear_error_and_no_comparison()
    {
        var success = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"}}""");
        var unknown = Guid.NewGuid();

        var page = RenderPage(success, unknown);

        Assert.Equal($"There is no execution {unknown}. It may have been typed wrongly or deleted.", page.Find("[data-testid=compare-error]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=compare-side-A]"));
        Assert.Empty(page.FindAll("[data-testid=compare-step]"));
    }

    [Fact]
    public async Task Executions_of_different_workflows_compare_step_by_key_with_a_notice()
    {
        var arithmetic = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"}}""");
        var sum = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"}}""", SumWorkflow.WorkflowKey);

        var page = RenderPage(arithmetic, sum);

        Assert.Contains("different workflows", page.Find("[data-testid=compare-different-workflows]").TextContent, StringComparison.Ordinal);
        Assert.Contains("compare-differs", page.Find("[data-testid=compare-side-B] [data-testid=compare-workflow]").ClassList);
        var differing = page.Find("[data-testid=compare-differing-steps]").QuerySelectorAll("[data-testid=compare-step]");
        Assert.Equal(["square", "describe"], differing.Select(s => s.GetAttribute("data-step")));
        Assert.All(differing, s => Assert.Equal("not in this execution", s.QuerySelector("[data-testid=compare-step-right]")!.TextContent));
        Assert.Contains("1 unchanged step", page.Find("[data-testid=compare-unchanged]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_executions_page_offers_compare()
    {
        var id = await RunNewAsync("""{"add":{"a":2,"b":3,"label":"acme"}}""");

        var page = context.Render<ExecutionDetailPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal($"executions/{id}/compare", page.Find("[data-testid=compare-execution]").GetAttribute("href")));
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Auditor)]
    public void Every_reader_may_open_the_page_and_nobody_else(string role)
    {
        var allowed = typeof(ExecutionComparePage).GetCustomAttributes(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), inherit: true)
            .Cast<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>().Single().Roles!.Split(',');

        Assert.Contains(role, allowed);
        Assert.Equal(Roles.Readers.Split(','), allowed);
    }

    private static ConsoleTestContext CreateContext(TDatabase database)
    {
        var context = new ConsoleTestContext(database);
        context.Services.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        context.Services.AddSingleton<WorkflowDefinition, SumWorkflow>();
        context.Services.AddSingleton<StepProbe>();
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    private IRenderedComponent<ExecutionComparePage> RenderPage(Guid id, Guid? other)
    {
        var page = context.Render<ExecutionComparePage>(p => p.Add(x => x.Id, id).Add(x => x.Other, other));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=compare-loading]")));
        return page;
    }

    private static async Task TypeAsync(IRenderedComponent<ExecutionComparePage> page, string text)
    {
        await page.InvokeAsync(() => page.Find(".compare-id input").Change(text));
        await page.InvokeAsync(() => page.Find("[data-testid=compare-id-go]").ClickAsync(new MouseEventArgs()));
    }

    private async Task<Guid> RunNewAsync(string input, string workflow = ArithmeticWorkflow.WorkflowKey)
    {
        Guid id;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<ExecutionService>().CreateAsync(workflow, input, TestActors.Admin, default)).Id;
        }

        await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);
        return id;
    }

    private async Task<Guid> RerunAsync(Guid id, string editedInput)
    {
        Guid rerun;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            rerun = (await scope.ServiceProvider.GetRequiredService<ExecutionService>().RerunAsync(
                id, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711", editedInput), TestActors.Admin, default)).Id;
        }

        Assert.Equal(RunOutcome.Succeeded, await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(rerun, default));
        return rerun;
    }
}

/// <summary>A one-step workflow sharing the arithmetic workflow's first step, to compare executions of different workflows.</summary>
public sealed class SumWorkflow : WorkflowDefinition
{
    public const string WorkflowKey = "test-sum";

    public override string Key => WorkflowKey;

    public override int Version => 1;

    public override string DisplayName => "Sum (test)";

    public override string? GetBusinessKey(StepValues input) => input.Find<AddInput>()?.Label;

    protected override IEnumerable<IWorkflowStep> CreateSteps() => [new AddStep()];
}

public sealed class SqliteExecutionComparePageTests(SqliteDatabaseFixture database)
    : ExecutionComparePageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionComparePageTests(PostgresDatabaseFixture database)
    : ExecutionComparePageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
