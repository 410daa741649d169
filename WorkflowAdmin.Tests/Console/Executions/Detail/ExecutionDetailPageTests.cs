using System.Text.Json;
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

namespace WorkflowAdmin.Tests.Console.Executions.Detail;

/// <summary>
/// The execution detail page over executions made by the real engine (the test-only arithmetic workflow:
/// add → square → describe; "add" may take two attempts). Run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class ExecutionDetailPageTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"two-and-three"},"describe":{"prefix":"sq"}}""";

    private readonly ConsoleTestContext context = CreateContext(database);

    private StepProbe Probe => context.Services.GetRequiredService<StepProbe>();

    public async Task InitializeAsync()
    {
        await context.InitializeAsync();
        context.SignInAs(Roles.Support);
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task A_failed_execution_lists_its_steps_in_order_and_opens_on_the_failed_step()
    {
        Probe.FailNext("square");
        var id = await RunNewAsync();

        var page = RenderPage(id);

        var rows = page.FindAll("[data-testid=step-row]");
        Assert.Equal(["add", "square", "describe"], rows.Select(r => r.GetAttribute("data-step")));
        Assert.Equal(["Succeeded", "Failed", "Pending"], rows.Select(r => r.GetAttribute("data-status")));
        Assert.Equal(["Add", "Square", "Describe"], rows.Select(r => r.QuerySelector("td:nth-child(3) .mud-typography")!.TextContent));
        Assert.Equal("square", SelectedRow(page).GetAttribute("data-step"));
        Assert.Equal("square", page.Find("[data-testid=step-details]").GetAttribute("data-step"));
        Assert.Equal("Failed", page.Find("[data-testid=execution-header] [data-testid=status-chip]").GetAttribute("data-status"));
        Assert.Equal("Arithmetic (test)", page.Find("[data-testid=workflow-name]").TextContent);
        Assert.Equal("test-arithmetic v1", page.Find("[data-testid=workflow-key]").TextContent.Trim());
        Assert.Equal("two-and-three", page.Find("[data-testid=business-key]").TextContent);
        Assert.Contains("ada", page.Find("[data-testid=triggered-by]").TextContent, StringComparison.Ordinal);
        var error = page.Find("[data-testid=execution-error]").TextContent;
        Assert.Contains("Square", error, StringComparison.Ordinal);
        Assert.Contains("System.TimeoutException", error, StringComparison.Ordinal);
        Assert.Contains("The arithmetic service did not answer for step 'square'.", error, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=current-step]"));
    }

    [Fact]
    public async Task The_failed_step_shows_its_input_its_error_with_a_collapsed_stack_trace_and_every_attempt()
    {
        Probe.FailNext("add", times: 2);
        var id = await RunNewAsync();

        var page = RenderPage(id);

        Assert.Equal("add", SelectedRow(page).GetAttribute("data-step"));
        Assert.Equal("2", SelectedRow(page).QuerySelector("[data-testid=step-attempts]")!.TextContent);
        var input = page.Find("[data-testid=step-input]");
        Assert.Contains("\"two-and-three\"", input.TextContent, StringComparison.Ordinal);
        Assert.Contains(input.QuerySelectorAll(".json-number"), n => n.TextContent == "2");
        Assert.Contains("the step has not succeeded", page.Find("[data-testid=step-output]").TextContent, StringComparison.Ordinal);
        Assert.Equal("System.TimeoutException", page.Find("[data-testid=step-error-type]").TextContent);
        Assert.Equal("The arithmetic service did not answer for step 'add'.", page.Find("[data-testid=step-error-message]").TextContent);
        var attempts = page.FindAll("[data-testid=attempt-row]");
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.Equal("Failed", a.GetAttribute("data-status"));
            Assert.Contains("System.TimeoutException: The arithmetic service did not answer", a.TextContent, StringComparison.Ordinal);
        });

        // Collapsed by default: the trace is not even rendered until asked for.
        Assert.DoesNotContain("StepProbe.EnterAsync", page.Markup, StringComparison.Ordinal);
        await ClickAsync(page, p => p.Find("[data-testid=step-stack-trace] .mud-expand-panel-header"));
        page.WaitForAssertion(() => Assert.Contains("StepProbe.EnterAsync", page.Find(".stack-trace").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_step_named_in_the_address_is_selected_and_choosing_another_updates_the_address()
    {
        var id = await RunNewAsync();
        var navigation = context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"executions/{id}?step=describe");

        var page = RenderPage(id);

        Assert.Equal("describe", SelectedRow(page).GetAttribute("data-step"));
        Assert.Contains("\"sq=25\"", page.Find("[data-testid=step-output]").TextContent, StringComparison.Ordinal);

        await ClickAsync(page, p => p.FindAll("[data-testid=step-row]").Single(r => r.GetAttribute("data-step") == "square"));

        page.WaitForAssertion(() => Assert.Equal("square", SelectedRow(page).GetAttribute("data-step")));
        Assert.EndsWith($"executions/{id}?step=square", navigation.Uri, StringComparison.Ordinal);
        Assert.Contains("25", page.Find("[data-testid=step-output]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_step_in_the_address_falls_back_to_the_default_selection()
    {
        Probe.FailNext("square");
        var id = await RunNewAsync();
        context.Services.GetRequiredService<NavigationManager>().NavigateTo($"executions/{id}?step=no-such-step");

        var page = RenderPage(id);

        Assert.Equal("square", SelectedRow(page).GetAttribute("data-step"));
    }

    [Fact]
    public async Task An_original_and_its_rerun_link_to_each_other_with_their_statuses()
    {
        Probe.FailNext("square");
        var originalId = await RunNewAsync();
        var original = RenderPage(originalId);
        Assert.Equal("Not re-run yet", original.Find("[data-testid=lineage-no-reruns]").TextContent);

        Guid rerunId;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            rerunId = (await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .RerunAsync(originalId, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711: dates swapped"), TestActors.Admin, default)).Id;
        }

        await RunAsync(rerunId);

        var rerunLink = RenderPage(originalId).Find("[data-testid=lineage-rerun]");
        Assert.Equal($"executions/{rerunId}", rerunLink.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Succeeded", rerunLink.QuerySelector("[data-testid=status-chip]")!.GetAttribute("data-status"));

        var rerun = RenderPage(rerunId);
        var rerunOf = rerun.Find("[data-testid=lineage-rerun-of]");
        Assert.Equal($"executions/{originalId}", rerunOf.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Failed", rerunOf.QuerySelector("[data-testid=status-chip]")!.GetAttribute("data-status"));
        Assert.Contains("resumed from the failed step", rerunOf.TextContent, StringComparison.Ordinal);
        Assert.Contains("ticket 4711: dates swapped", rerunOf.TextContent, StringComparison.Ordinal);
        Assert.Empty(rerun.FindAll("[data-testid=lineage-root]")); // the root is the original itself
        Assert.Equal("Not re-run yet", rerun.Find("[data-testid=lineage-no-reruns]").TextContent);
        var reused = rerun.FindAll("[data-testid=step-row]").Where(r => r.QuerySelector("[data-testid=step-reused]") is not null);
        Assert.Equal(["add"], reused.Select(r => r.GetAttribute("data-step")));

        // It opens on the first step it actually ran, not on the reused one before it.
        Assert.Equal("square", SelectedRow(rerun).GetAttribute("data-step"));
    }

    [Fact]
    public async Task A_running_execution_shows_its_current_step()
    {
        var id = await CreateAsync(Input);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Probe.OnEnter("square", async _ =>
        {
            entered.SetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
        });
        var run = Task.Run(() => RunAsync(id));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        try
        {
            var page = RenderPage(id);

            Assert.Equal("Running", page.Find("[data-testid=execution-header] [data-testid=status-chip]").GetAttribute("data-status"));
            Assert.Contains("Square", page.Find("[data-testid=current-step]").TextContent, StringComparison.Ordinal);
            Assert.Equal("square", SelectedRow(page).GetAttribute("data-step"));
            Assert.Contains("so far", page.Find("[data-testid=execution-duration]").TextContent, StringComparison.Ordinal);
        }
        finally
        {
            release.SetResult();
            await run;
        }
    }

    [Fact]
    public async Task The_header_times_read_relative_to_now_with_the_exact_time_to_the_second_on_hover()
    {
        var id = await CreateAsync(Input);
        context.Time.Advance(TimeSpan.FromSeconds(40));

        var pending = RenderPage(id);

        Assert.Equal("40 s ago", pending.Find("[data-testid=execution-created] time").TextContent);
        Assert.Equal(DetailFormat.None, pending.Find("[data-testid=execution-started]").TextContent.Trim());
        Assert.Equal(DetailFormat.None, pending.Find("[data-testid=execution-finished]").TextContent.Trim());

        await RunAsync(id);
        context.Time.Advance(TimeSpan.FromMinutes(3));

        var finished = RenderPage(id);

        WorkflowExecution execution;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            execution = await scope.ServiceProvider.GetRequiredService<WorkflowAdmin.Domain.Data.AppDbContext>().WorkflowExecutions.FindAsync(id) ?? throw new InvalidOperationException("gone");
        }

        foreach (var (testId, at, text) in new[]
        {
            ("execution-created", execution.CreatedAt, "3 min ago"),
            ("execution-started", execution.StartedAt!.Value, "3 min ago"),
            ("execution-finished", execution.FinishedAt!.Value, "3 min ago"),
        })
        {
            var time = finished.Find($"[data-testid={testId}] time");
            Assert.Equal(text, time.TextContent);
            Assert.Equal(DetailFormat.Utc(at), time.GetAttribute("title"));
            Assert.NotNull(time.GetAttribute("data-local-time"));
        }
    }

    [Fact]
    public async Task The_composed_input_and_output_have_tabs_of_their_own()
    {
        var id = await RunNewAsync();
        var page = RenderPage(id);

        await ClickAsync(page, p => p.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Output"));

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=json-node] .json-string"), s => s.TextContent == "\"sq=25\""));

        await ClickAsync(page, p => p.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Input"));

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=json-node] .json-string"), s => s.TextContent == "\"two-and-three\""));
    }

    [Fact]
    public async Task The_failed_step_link_in_the_header_opens_that_step_from_any_tab()
    {
        Probe.FailNext("square");
        var id = await RunNewAsync();
        context.Services.GetRequiredService<NavigationManager>().NavigateTo($"executions/{id}?step=add");
        var page = RenderPage(id);
        await ClickAsync(page, p => p.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Input"));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=step-row]")));

        await ClickAsync(page, p => p.Find("[data-testid=execution-error] a"));

        page.WaitForAssertion(() => Assert.Equal("square", SelectedRow(page).GetAttribute("data-step")));
        Assert.Equal("square", page.Find("[data-testid=step-details]").GetAttribute("data-step"));
    }

    [Fact]
    public async Task Download_sends_one_pretty_file_with_the_execution_its_steps_and_their_attempts()
    {
        Probe.FailNext("add", times: 1);
        var id = await RunNewAsync();
        var page = RenderPage(id);

        await ClickAsync(page, p => p.Find("[data-testid=download-execution]"));

        var download = Assert.Single(context.JSInterop.Invocations, i => i.Identifier == "workflowAdmin.downloadText");
        Assert.Equal($"execution-{id}.json", download.Arguments[0]);
        var text = (string)download.Arguments[1]!;
        Assert.Contains("\n  \"status\": \"succeeded\"", text, StringComparison.Ordinal);
        var file = JsonDocument.Parse(text).RootElement;
        Assert.Equal(id, file.GetProperty("id").GetGuid());
        Assert.Equal(25, file.GetProperty("output").GetProperty("square").GetProperty("square").GetInt32());
        var steps = file.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["add", "square", "describe"], steps.Select(s => s.GetProperty("key").GetString()));
        var attempts = steps[0].GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(["failed", "succeeded"], attempts.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("StepProbe.EnterAsync", attempts[0].GetProperty("errorStackTrace").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, steps[0].GetProperty("input").GetProperty("a").GetInt32());
    }

    [Fact]
    public void An_unknown_id_says_so()
    {
        var id = Guid.NewGuid();

        var page = RenderPage(id);

        Assert.Contains($"There is no execution {id}", page.Find("[data-testid=execution-not-found]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=step-row]"));
    }

    [Fact]
    public async Task Support_sees_no_action_buttons()
    {
        Probe.FailNext("square");
        var id = await RunNewAsync();

        var page = RenderPage(id);

        var buttons = page.FindAll("[data-testid=execution-header] button").Select(b => b.TextContent.Trim()).Where(t => t.Length > 0);
        Assert.Equal(["Download execution"], buttons);
    }

    [Fact]
    public async Task A_failure_a_rerun_fixed_says_resolved_by_that_rerun_and_one_not_yet_fixed_does_not()
    {
        Probe.FailNext("square", times: 2);
        var originalId = await RunNewAsync();
        var firstRerunId = await RerunAsync(originalId);
        Assert.Equal(RunOutcome.Failed, await RunAsync(firstRerunId));
        Assert.Empty(RenderPage(originalId).FindAll("[data-testid=execution-resolved]"));

        var secondRerunId = await RerunAsync(firstRerunId);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(secondRerunId));

        foreach (var id in new[] { originalId, firstRerunId })
        {
            var note = RenderPage(id).Find("[data-testid=execution-header] [data-testid=execution-resolved]");
            Assert.StartsWith("Resolved by re-run", note.TextContent.Trim(), StringComparison.Ordinal);
            var link = note.QuerySelector("[data-testid=execution-resolved-by]")!;
            Assert.Equal($"executions/{secondRerunId}", link.GetAttribute("href"));
            Assert.Equal(secondRerunId.ToString()[..8], link.TextContent.Trim());
        }

        Assert.Empty(RenderPage(secondRerunId).FindAll("[data-testid=execution-resolved]"));
    }

    private async Task<Guid> RerunAsync(Guid id)
    {
        await using var scope = context.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ExecutionService>()
            .RerunAsync(id, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711", ConfirmDuplicate: true), TestActors.Admin, default)).Id;
    }

    private static ConsoleTestContext CreateContext(TDatabase database)
    {
        var context = new ConsoleTestContext(database);
        context.Services.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        context.Services.AddSingleton<StepProbe>();

        // Interactive, as on a circuit; the page's refresh timer then runs on the context's fake clock, which stands still.
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    // MudBlazor re-renders after its first renders (popovers, tabs); finding and clicking in one dispatcher turn, and
    // awaiting the handler, keeps a click from landing on a replaced element or being asserted before it finished.
    private static Task ClickAsync(IRenderedComponent<ExecutionDetailPage> page, Func<IRenderedComponent<ExecutionDetailPage>, IElement> find) =>
        page.InvokeAsync(() => find(page).ClickAsync(new MouseEventArgs()));

    private static IElement SelectedRow(IRenderedComponent<ExecutionDetailPage> page) =>
        Assert.Single(page.FindAll("[data-testid=step-row][aria-selected=true]"));

    private IRenderedComponent<ExecutionDetailPage> RenderPage(Guid id)
    {
        var page = context.Render<ExecutionDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=execution-loading]")));
        return page;
    }

    private async Task<Guid> RunNewAsync()
    {
        var id = await CreateAsync(Input);
        await RunAsync(id);
        return id;
    }

    private async Task<Guid> CreateAsync(string input)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var execution = await scope.ServiceProvider.GetRequiredService<ExecutionService>()
            .CreateAsync(ArithmeticWorkflow.WorkflowKey, input, TestActors.Admin, default);
        return execution.Id;
    }

    private Task<RunOutcome> RunAsync(Guid id) => context.Services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);
}

public sealed class SqliteExecutionDetailPageTests(SqliteDatabaseFixture database)
    : ExecutionDetailPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionDetailPageTests(PostgresDatabaseFixture database)
    : ExecutionDetailPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
