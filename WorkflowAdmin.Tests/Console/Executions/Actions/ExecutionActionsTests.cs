using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.Actions;

/// <summary>
/// The detail page's action bar and its re-run and cancel dialogs, acting as real users against the real services
/// (the arithmetic workflow: add → square → describe). Run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class ExecutionActionsTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"two-and-three"},"describe":{"prefix":"sq"}}""";

    private readonly ConsoleTestContext context = CreateContext(database);

    private StepProbe Probe => context.Services.GetRequiredService<StepProbe>();

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    private IEnumerable<Snackbar> Snackbars => context.Services.GetRequiredService<ISnackbar>().ShownSnackbars;

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Auditor)]
    public async Task Readers_see_no_action_buttons_on_a_failed_or_a_pending_execution(string role)
    {
        await context.SignInAsUserAsync(role);
        Probe.FailNext("square");
        var failed = await RunNewAsync();
        var pending = await CreateAsync(Input);

        foreach (var id in new[] { failed, pending })
        {
            var (page, _) = Open(id);

            // The bar renders once the user's roles are read; only then is "no buttons" an answer.
            var bar = page.WaitForElement("[data-testid=execution-actions]");
            Assert.Empty(bar.QuerySelectorAll("button, a"));
        }
    }

    [Fact]
    public async Task The_bar_shows_the_buttons_of_the_actor_the_page_hands_it_and_reads_its_own_only_without_one()
    {
        // Signed in as Support, who may not re-run; the actor handed over (as the detail page hands the one it read, so the
        // prerender does not read the user, roles and claims twice) is an Admin's.
        await context.SignInAsUserAsync(Roles.Support);
        Probe.FailNext("square");
        var failed = await RunNewAsync();
        WorkflowExecution execution;
        await using (var db = database.CreateDbContext())
        {
            execution = await db.WorkflowExecutions.AsNoTracking().Include(e => e.Steps).SingleAsync(e => e.Id == failed);
        }

        var handedOver = context.Render<ExecutionActions>(p => p.Add(x => x.Execution, execution).Add(x => x.Actor, Actor.ForUser("admin@example.test", [Roles.Admin])));
        handedOver.WaitForElement("[data-testid=rerun-execution]");

        var own = context.Render<ExecutionActions>(p => p.Add(x => x.Execution, execution));
        own.WaitForElement("[data-testid=execution-actions]");
        Assert.Empty(own.FindAll("[data-testid=rerun-execution]"));
    }

    [Fact]
    public async Task An_admin_may_rerun_a_failed_execution_and_cancel_a_pending_one_but_not_the_other_way_round()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        Probe.FailNext("square");
        var failed = await RunNewAsync();
        var pending = await CreateAsync(Input);

        var (failedPage, _) = Open(failed);
        failedPage.WaitForElement("[data-testid=rerun-execution]");
        Assert.Empty(failedPage.FindAll("[data-testid=cancel-execution]"));
        // Any registered workflow can be started again from an execution's input, through its generated form.
        Assert.Equal($"/executions/new/{ArithmeticWorkflow.WorkflowKey}?from={failed}", failedPage.Find("[data-testid=start-like-this]").GetAttribute("href"));

        var (pendingPage, _) = Open(pending);
        pendingPage.WaitForElement("[data-testid=cancel-execution]");
        Assert.Empty(pendingPage.FindAll("[data-testid=rerun-execution]"));
    }

    [Fact]
    public async Task An_admin_limited_to_other_workflows_gets_neither_rerun_nor_cancel_on_this_workflows_executions()
    {
        var admin = await context.SignInAsUserAsync(Roles.Admin);
        await using (var scope = context.Services.CreateAsyncScope())
        {
            // Limited to provisioning only; the executions below are the arithmetic workflow's.
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
            var limited = await users.AddClaimAsync(
                (await users.FindByIdAsync(admin.Id))!, new System.Security.Claims.Claim(UserWorkflows.ClaimType, WorkflowAdmin.Domain.Provisioning.ProvisioningWorkflow.WorkflowKey));
            Assert.True(limited.Succeeded);
        }

        Probe.FailNext("square");
        var failed = await RunNewAsync();
        var pending = await CreateAsync(Input);

        foreach (var id in new[] { failed, pending })
        {
            var (page, _) = Open(id);
            page.WaitForElement("[data-testid=actions-limited]");
            Assert.Empty(page.FindAll("[data-testid=rerun-execution]"));
            Assert.Empty(page.FindAll("[data-testid=cancel-execution]"));
        }
    }

    [Fact]
    public async Task Start_like_this_one_links_a_provisioning_execution_to_a_prefilled_trigger_form()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        Guid id;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .CreateAsync("provision-customer", ProvisioningInput, TestActors.Admin, default)).Id;
        }

        var (page, _) = Open(id);

        Assert.Equal($"/executions/new/provision-customer?from={id}", page.WaitForElement("[data-testid=start-like-this]").GetAttribute("href"));
    }

    [Fact]
    public async Task The_rerun_dialog_names_the_reused_steps_and_the_steps_that_run_again_in_either_mode()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        Probe.FailNext("square");
        var (page, dialogs) = Open(await RunNewAsync());

        OpenRerun(page, dialogs);

        Assert.Equal(["add"], Planned(dialogs, "reused-steps"));
        Assert.Equal(["square", "describe"], Planned(dialogs, "rerun-steps"));
        var rerun = dialogs.Find("[data-testid=rerun-steps]").TextContent;
        Assert.Contains("Square — failed in the original", rerun, StringComparison.Ordinal);
        Assert.Contains("Describe — comes after a step that runs again", rerun, StringComparison.Ordinal);
        Assert.Contains("reuses the 1 step(s) that already succeeded", Text(dialogs, "mode-explanation"), StringComparison.Ordinal);
        Assert.Contains("starting with Square", Text(dialogs, "mode-explanation"), StringComparison.Ordinal);

        await ChooseAsync(dialogs, RerunMode.FromStart);

        dialogs.WaitForAssertion(() => Assert.Empty(Planned(dialogs, "reused-steps")));
        Assert.Equal(["add", "square", "describe"], Planned(dialogs, "rerun-steps"));
        Assert.Contains("runs all 3 steps again", Text(dialogs, "mode-explanation"), StringComparison.Ordinal);
        Assert.Contains("idempotent", Text(dialogs, "mode-explanation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_input_shows_its_diff_lists_every_error_with_its_path_and_keeps_the_text()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        Probe.FailNext("describe");
        var originalId = await RunNewAsync();
        var (page, dialogs) = Open(originalId);
        OpenRerun(page, dialogs);
        Assert.Equal(["add", "square"], Planned(dialogs, "reused-steps"));

        await ChooseEditAsync(dialogs);
        Assert.Contains("that step and every step after it run again", Text(dialogs, "edit-warning"), StringComparison.Ordinal);
        Assert.StartsWith("No changes yet", Text(dialogs, "diff-summary"), StringComparison.Ordinal);

        var broken = Editor(dialogs).GetAttribute("value")!.Replace("\"a\": 2", "\"a\": -1", StringComparison.Ordinal)
            .Replace("\"two-and-three\"", "\"\"", StringComparison.Ordinal);
        TypeInEditor(dialogs, broken);
        dialogs.WaitForElement("[data-testid=input-errors]");
        Reason(dialogs).Input("ticket 4711: wrong operands");
        Submit(dialogs).Click();

        dialogs.WaitForAssertion(() => Assert.Equal(
            ["add.a: must not be negative", "add.label: is required"],
            dialogs.FindAll("[data-testid=input-errors] [data-testid=input-error]").Select(e => e.TextContent.Trim()).Order(StringComparer.Ordinal)));
        Assert.Equal(broken, Editor(dialogs).GetAttribute("value"));
        Assert.Equal("ticket 4711: wrong operands", Reason(dialogs).GetAttribute("value"));
        Assert.Equal(1, await ExecutionCountAsync()); // nothing but the original

        TypeInEditor(dialogs, broken.Replace("\"a\": -1", "\"a\": 5", StringComparison.Ordinal).Replace("\"label\": \"\"", "\"label\": \"two-and-three\"", StringComparison.Ordinal));

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=input-errors]")));
        var changed = Assert.Single(dialogs.FindAll("[data-testid=diff-row][data-change=true]"));
        Assert.Equal("\"a\": 2,", changed.QuerySelector("[data-testid=diff-before]")!.TextContent.Trim());
        Assert.Equal("\"a\": 5,", changed.QuerySelector("[data-testid=diff-after]")!.TextContent.Trim());
        Assert.Equal("Changes against the original: 1 line(s)", Text(dialogs, "diff-summary"));
        Assert.Empty(Planned(dialogs, "reused-steps"));
        Assert.Contains("Add — has an edited input", dialogs.Find("[data-testid=rerun-steps]").TextContent, StringComparison.Ordinal);

        Submit(dialogs).Click();

        var rerun = await ClosedWithRerunAsync(dialogs, originalId);
        Assert.Contains("\"a\":5", rerun.InputJson, StringComparison.Ordinal);
        Assert.DoesNotContain(rerun.Steps, s => s.IsReused);
    }

    [Fact]
    public async Task A_reason_is_required_and_the_rerun_then_opens_linked_to_the_original()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        Probe.FailNext("square");
        var originalId = await RunNewAsync();
        var (page, dialogs) = Open(originalId);
        OpenRerun(page, dialogs);
        Assert.DoesNotContain("A reason is required", dialogs.Markup, StringComparison.Ordinal);

        Submit(dialogs).Click();

        dialogs.WaitForAssertion(() => Assert.Contains("A reason is required", dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal(1, await ExecutionCountAsync());

        Reason(dialogs).Input("ticket 4711: service was down");
        Submit(dialogs).Click();

        var rerun = await ClosedWithRerunAsync(dialogs, originalId);
        page.WaitForAssertion(() => Assert.EndsWith($"executions/{rerun.Id}", Navigation.Uri, StringComparison.Ordinal));
        Assert.Equal((RerunMode.ResumeFromFailedStep, "ticket 4711: service was down"), (rerun.RerunMode!.Value, rerun.RerunReason));
        Assert.Equal(["add"], rerun.Steps.Where(s => s.IsReused).Select(s => s.StepKey));
        Assert.Contains(context.Services.GetRequiredService<RecordingDispatcher>().Enqueued, id => id == rerun.Id);

        var (newPage, _) = Open(rerun.Id);
        Assert.Equal($"executions/{originalId}", newPage.Find("[data-testid=lineage-rerun-of] a").GetAttribute("href"));
    }

    [Fact]
    public async Task An_existing_rerun_is_shown_with_its_link_and_another_needs_re_run_anyway()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        Probe.FailNext("square");
        var originalId = await RunNewAsync();
        var first = await RerunAsync(originalId);
        var (page, dialogs) = Open(originalId);

        OpenRerun(page, dialogs, expectEnabled: false);

        var listed = Assert.Single(dialogs.FindAll("[data-testid=existing-rerun]"));
        Assert.Equal($"executions/{first}", listed.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Pending", listed.QuerySelector("[data-testid=status-chip]")!.GetAttribute("data-status"));
        Reason(dialogs).Input("ticket 4711: the first re-run is stuck");
        Assert.True(Submit(dialogs).HasAttribute("disabled"));

        await ConfirmDuplicateAsync(dialogs);
        dialogs.WaitForAssertion(() => Assert.False(Submit(dialogs).HasAttribute("disabled")));
        Submit(dialogs).Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=rerun-dialog]")));
        await using var db = database.CreateDbContext();
        Assert.Equal(2, await db.WorkflowExecutions.CountAsync(e => e.RerunOfId == originalId));
        var audit = await db.AuditEntries.Where(a => a.Action == AuditActions.ExecutionRerun).OrderBy(a => a.Id).ToListAsync();
        Assert.Contains("\"confirmedDuplicate\":true", audit.Last().AfterJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rerun_made_while_the_dialog_is_open_is_shown_in_it_and_confirmation_is_asked_again()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        Probe.FailNext("square");
        var originalId = await RunNewAsync();
        var (page, dialogs) = Open(originalId);
        OpenRerun(page, dialogs);
        Reason(dialogs).Input("ticket 4712");

        var concurrent = await RerunAsync(originalId);
        Submit(dialogs).Click();

        dialogs.WaitForElement("[data-testid=duplicate-race]");
        Assert.Equal($"executions/{concurrent}", dialogs.Find("[data-testid=existing-rerun] a").GetAttribute("href"));
        Assert.True(Submit(dialogs).HasAttribute("disabled"));
        Assert.Equal("ticket 4712", Reason(dialogs).GetAttribute("value"));
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(1, await db.WorkflowExecutions.CountAsync(e => e.RerunOfId == originalId));
        }

        await ConfirmDuplicateAsync(dialogs);
        dialogs.WaitForAssertion(() => Assert.False(Submit(dialogs).HasAttribute("disabled")));
        Submit(dialogs).Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=rerun-dialog]")));
    }

    [Fact]
    public async Task A_refusal_by_the_service_stays_in_the_dialog_with_everything_typed()
    {
        var admin = await context.SignInAsUserAsync(Roles.Admin);
        Probe.FailNext("square");
        var (page, dialogs) = Open(await RunNewAsync());
        OpenRerun(page, dialogs);
        Reason(dialogs).Input("ticket 4713");

        // Demoted while the dialog was open: the button was shown, the service refuses.
        await using (var scope = context.Services.CreateAsyncScope())
        {
            var changed = await scope.ServiceProvider.GetRequiredService<UserAccounts>().SetRoleAsync(Actor.System, admin.Id, Roles.Support);
            Assert.True(changed.Succeeded);
        }

        Submit(dialogs).Click();

        dialogs.WaitForAssertion(() => Assert.Contains("is not allowed to re-run executions", Text(dialogs, "rerun-error"), StringComparison.Ordinal));
        Assert.Equal("ticket 4713", Reason(dialogs).GetAttribute("value"));
        Assert.Equal(1, await ExecutionCountAsync());
    }

    [Fact]
    public async Task Cancelling_a_pending_execution_needs_a_reason_and_cancels_it_at_once()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        var id = await CreateAsync(Input);
        var (page, dialogs) = Open(id);
        page.WaitForElement("[data-testid=cancel-execution]").Click();
        dialogs.WaitForElement("[data-testid=cancel-dialog]");
        Assert.Contains("cancelled at once", Text(dialogs, "cancel-explanation"), StringComparison.Ordinal);

        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=submit-cancel]").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("A reason is required", dialogs.Markup, StringComparison.Ordinal));

        dialogs.Find("input[data-testid=cancel-reason]").Input("customer withdrew the order");
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=submit-cancel]").Click());

        page.WaitForAssertion(() => Assert.Equal("Cancelled", page.Find("[data-testid=execution-header] [data-testid=status-chip]").GetAttribute("data-status")));
        Assert.Contains(Snackbars, s => s.Message!.StartsWith("Cancelled: the execution had not started", StringComparison.Ordinal));
        Assert.Contains("customer withdrew the order", page.Find("[data-testid=cancellation]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=cancel-execution]"));
        page.WaitForElement("[data-testid=rerun-execution]"); // a cancelled execution can be re-run
    }

    [Fact]
    public async Task Cancelling_a_running_execution_asks_it_to_stop_at_the_next_step_boundary()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        var id = await CreateAsync(Input);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Probe.OnEnter("square", async _ =>
        {
            entered.SetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
        });
        var run = Task.Run(() => context.Services.GetRequiredService<WorkflowRunner>().RunAsync(id, default));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        RunOutcome outcome;
        try
        {
            var (page, dialogs) = Open(id);
            page.WaitForElement("[data-testid=cancel-execution]").Click();
            dialogs.WaitForElement("[data-testid=cancel-dialog]");
            Assert.Contains("It is running (Square): it is asked to stop", Text(dialogs, "cancel-explanation"), StringComparison.Ordinal);
            dialogs.Find("input[data-testid=cancel-reason]").Input("wrong customer");
            await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=submit-cancel]").Click());

            page.WaitForAssertion(() => Assert.Contains("wrong customer", page.Find("[data-testid=cancellation]").TextContent, StringComparison.Ordinal));
            Assert.Contains(Snackbars, s => s.Message!.StartsWith("Stop requested: the execution stops at its next step boundary", StringComparison.Ordinal));
            Assert.Equal("Running", page.Find("[data-testid=execution-header] [data-testid=status-chip]").GetAttribute("data-status"));
            Assert.Empty(page.FindAll("[data-testid=cancel-execution]"));
        }
        finally
        {
            release.SetResult();
            outcome = await run;
        }

        await using var db = database.CreateDbContext();
        var execution = await db.WorkflowExecutions.Include(e => e.Steps).SingleAsync(e => e.Id == id);
        Assert.Equal(ExecutionStatus.Cancelled, execution.Status);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Steps.Single(s => s.StepKey == "square").Status);
        Assert.Equal(ExecutionStatus.Cancelled, execution.Steps.Single(s => s.StepKey == "describe").Status);
        Assert.NotEqual(RunOutcome.Succeeded, outcome);
    }

    private static string ProvisioningInput => """
        {"create-customer":{"name":"Northwind Traders","slug":"northwind","country":"US"},
         "create-admins":{"userEmails":["ada@northwind.example"]},
         "create-trial-plan":{"title":"Trial","salesforceLineItem":"00k1","startDate":"2026-03-02","expirationDate":"2026-04-01","desiredNumLicenses":5},
         "create-first-paid-plan":{"title":"Paid"}}
        """;

    private static ConsoleTestContext CreateContext(TDatabase database)
    {
        var context = new ConsoleTestContext(database);
        context.Services.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        context.Services.AddSingleton<StepProbe>();
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    private static void OpenRerun(IRenderedComponent<ExecutionDetailPage> page, IRenderedComponent<MudDialogProvider> dialogs, bool expectEnabled = true)
    {
        page.WaitForElement("[data-testid=rerun-execution]").Click();
        dialogs.WaitForElement("[data-testid=rerun-dialog]");

        // The dialog checks for earlier re-runs when it opens; until then submitting waits.
        dialogs.WaitForAssertion(() => Assert.Equal(!expectEnabled, Submit(dialogs).HasAttribute("disabled")));
        if (!expectEnabled)
        {
            dialogs.WaitForElement("[data-testid=duplicate-guard]");
        }
    }

    private static Task ChooseAsync(IRenderedComponent<MudDialogProvider> dialogs, RerunMode mode)
    {
        var group = dialogs.FindComponent<MudRadioGroup<RerunMode>>();
        return group.InvokeAsync(() => group.Instance.ValueChanged.InvokeAsync(mode));
    }

    private static async Task ChooseEditAsync(IRenderedComponent<MudDialogProvider> dialogs)
    {
        var group = dialogs.FindComponent<MudRadioGroup<bool>>();
        await group.InvokeAsync(() => group.Instance.ValueChanged.InvokeAsync(true));
        dialogs.WaitForElement("textarea[data-testid=input-editor]");
    }

    private static Task ConfirmDuplicateAsync(IRenderedComponent<MudDialogProvider> dialogs)
    {
        var box = dialogs.FindComponent<MudCheckBox<bool>>();
        return box.InvokeAsync(() => box.Instance.ValueChanged.InvokeAsync(true));
    }

    private static void TypeInEditor(IRenderedComponent<MudDialogProvider> dialogs, string text)
    {
        Editor(dialogs).Input(text);
        dialogs.WaitForAssertion(() => Assert.Equal(text, Editor(dialogs).GetAttribute("value")));
    }

    private static AngleSharp.Dom.IElement Editor(IRenderedComponent<MudDialogProvider> dialogs) => dialogs.Find("textarea[data-testid=input-editor]");

    private static AngleSharp.Dom.IElement Reason(IRenderedComponent<MudDialogProvider> dialogs) => dialogs.Find("input[data-testid=rerun-reason]");

    private static AngleSharp.Dom.IElement Submit(IRenderedComponent<MudDialogProvider> dialogs) => dialogs.Find("button[data-testid=submit-rerun]");

    private static string Text(IRenderedComponent<MudDialogProvider> dialogs, string testId) => dialogs.Find($"[data-testid={testId}]").TextContent.Trim();

    private static List<string?> Planned(IRenderedComponent<MudDialogProvider> dialogs, string list) =>
        [.. dialogs.FindAll($"[data-testid={list}] [data-testid=planned-step]").Select(s => s.GetAttribute("data-step"))];

    private (IRenderedComponent<ExecutionDetailPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) Open(Guid id)
    {
        var dialogs = context.Render<MudDialogProvider>();
        var page = context.Render<ExecutionDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=execution-loading]")));
        return (page, dialogs);
    }

    // The dialog closes only once the service has saved the re-run.
    private async Task<WorkflowExecution> ClosedWithRerunAsync(IRenderedComponent<MudDialogProvider> dialogs, Guid originalId)
    {
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=rerun-dialog]")));
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking().Include(e => e.Steps).SingleAsync(e => e.RerunOfId == originalId);
    }

    private async Task<int> ExecutionCountAsync()
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.CountAsync();
    }

    private async Task<Guid> RunNewAsync()
    {
        var id = await CreateAsync(Input);
        await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);
        return id;
    }

    private async Task<Guid> CreateAsync(string input)
    {
        await using var scope = context.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, input, TestActors.Admin, default)).Id;
    }

    private async Task<Guid> RerunAsync(Guid originalId)
    {
        await using var scope = context.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ExecutionService>()
            .RerunAsync(originalId, new RerunRequest(RerunMode.ResumeFromFailedStep, "someone else"), TestActors.Admin, default)).Id;
    }
}

public sealed class SqliteExecutionActionsTests(SqliteDatabaseFixture database)
    : ExecutionActionsTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionActionsTests(PostgresDatabaseFixture database)
    : ExecutionActionsTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
