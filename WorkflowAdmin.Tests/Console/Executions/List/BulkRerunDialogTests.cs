using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.BulkReruns;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Domain.Bulk;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.List;

/// <summary>
/// Re-running many executions from the list: ticking rows or taking all that match, the confirmation dialog, and
/// what it starts. Rendered with the real domain over a real database, once per provider.
/// </summary>
public abstract class BulkRerunDialogTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly TDatabase database;
    private readonly ConsoleTestContext context;

    protected BulkRerunDialogTests(TDatabase database)
    {
        this.database = database;
        context = new ConsoleTestContext(database);
        context.Services.AddAdmins();
    }

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Auditor)]
    public async Task Readers_who_may_not_rerun_get_neither_tick_boxes_nor_bulk_buttons(string role)
    {
        await BulkTestData.SeedAsync(context.Services, 3);
        context.SignInAs(role);

        var (page, _) = Open("/executions");

        Assert.Equal(3, page.FindAll("[data-testid=row]").Count);
        Assert.Empty(page.FindAll("[data-testid=bulk-bar]"));
        Assert.Empty(page.FindAll("[data-testid=tick-row]"));
    }

    [Fact]
    public async Task Ticked_rows_are_confirmed_with_their_count_a_sample_the_ones_to_skip_the_mode_and_a_required_reason()
    {
        var failed = await BulkTestData.SeedAsync(context.Services, 3, ExecutionStatus.Failed, "failed");
        var fine = await BulkTestData.SeedAsync(context.Services, 2, ExecutionStatus.Succeeded, "fine");
        var user = await context.SignInAsUserAsync(Roles.Admin);
        var (page, dialogs) = Open("/executions");
        Assert.True(page.Find("[data-testid=bulk-ticked-action]").HasAttribute("disabled"));

        await ChangeAsync(page, p => p.Find("[data-testid=tick-page] input"), true);
        page.WaitForAssertion(() => Assert.Equal("5 selected", page.Find("[data-testid=bulk-ticked]").TextContent));
        await ChangeAsync(page, p => TickOf(p, "fine-00000"), false);
        page.WaitForAssertion(() => Assert.Equal("4 selected", page.Find("[data-testid=bulk-ticked]").TextContent));
        await ClickAsync(page, p => p.Find("[data-testid=bulk-ticked-action]"));

        dialogs.WaitForAssertion(() => Assert.Equal("4 executions selected.", dialogs.Find("[data-testid=bulk-rerun-count]").TextContent.Trim()));
        Assert.Equal(
            ["fine-00001", "failed-00002", "failed-00001", "failed-00000"],
            dialogs.FindAll("[data-testid=bulk-rerun-sample-row]").Select(r => r.Children[1].TextContent.Trim()));
        Assert.Equal(["Succeeded", "Failed", "Failed", "Failed"], dialogs.FindAll("[data-testid=bulk-rerun-sample-row] [data-testid=status-chip]").Select(c => c.GetAttribute("data-status")));
        Assert.Equal(BulkTestData.FailedStep, dialogs.FindAll("[data-testid=bulk-rerun-sample-row]")[1].Children[3].TextContent.Trim());
        Assert.Contains("1 of them are not Failed or Cancelled", dialogs.Find("[data-testid=bulk-rerun-skipped]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Resume from the failed step", dialogs.Find("[data-testid=bulk-rerun-mode]").TextContent, StringComparison.Ordinal);
        Assert.Contains("reuses the steps that already succeeded", dialogs.Markup, StringComparison.Ordinal);
        Assert.Contains("runs every step again with the original input", dialogs.Markup, StringComparison.Ordinal);
        Assert.Equal("3 executions will be re-run; 1 will be skipped and listed as not re-run.", dialogs.Find("[data-testid=bulk-rerun-plan]").TextContent.Trim());
        Assert.Equal("Re-run 3 executions", dialogs.Find("[data-testid=confirm-bulk-rerun]").TextContent.Trim());

        // No reason: refused in the form, nothing started.
        await SubmitAsync(dialogs);
        dialogs.WaitForAssertion(() => Assert.Contains("A reason is required", dialogs.Markup, StringComparison.Ordinal));
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(0, await db.BulkReruns.CountAsync());
        }

        dialogs.Find("[data-testid=mode-start] input, input[data-testid=mode-start]").Click();
        dialogs.Find("textarea[data-testid=bulk-rerun-reason]").Change("catalog service back after maintenance");
        await SubmitAsync(dialogs);

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=bulk-rerun-dialog]")));
        await using var after = database.CreateDbContext();
        var bulk = await after.BulkReruns.AsNoTracking().Include(b => b.Items).SingleAsync();
        Assert.Equal($"/bulk-reruns/{bulk.Id}", new Uri(Navigation.Uri).AbsolutePath);
        Assert.Equal(4, bulk.Total);
        Assert.Equal(RerunMode.FromStart, bulk.Mode);
        Assert.Equal("catalog service back after maintenance", bulk.Reason);
        Assert.Equal(user.Email, bulk.RequestedBy);
        Assert.Equal("4 selected in /executions", bulk.Description);
        Assert.Equal(failed.Append(fine[1]).Order(), bulk.Items.Select(i => i.ExecutionId).Order());
        var entry = Assert.Single(await after.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("execution.")).ToListAsync());
        Assert.Equal((AuditActions.ExecutionBulkRerun, bulk.Id.ToString(), user.Email), (entry.Action, entry.TargetId, entry.Actor));
    }

    [Fact]
    public async Task All_matching_takes_every_page_of_the_filtered_list_as_it_is_when_the_admin_confirms()
    {
        var northwind = await BulkTestData.SeedAsync(context.Services, 60, ExecutionStatus.Failed, "northwind");
        await BulkTestData.SeedAsync(context.Services, 5, ExecutionStatus.Failed, "contoso");
        await BulkTestData.SeedAsync(context.Services, 5, ExecutionStatus.Succeeded, "northwind-ok");
        await context.SignInAsUserAsync(Roles.Admin);
        var (page, dialogs) = Open("/executions?status=Failed&q=northwind");
        page.WaitForAssertion(() => Assert.Equal("Re-run all 60 matching", page.Find("[data-testid=bulk-all-action]").TextContent.Trim()));
        Assert.Equal(25, page.FindAll("[data-testid=row]").Count);

        await ClickAsync(page, p => p.Find("[data-testid=bulk-all-action]"));

        dialogs.WaitForAssertion(() => Assert.Equal(
            "60 executions match /executions?q=northwind&status=Failed now, on every page of the list.",
            dialogs.Find("[data-testid=bulk-rerun-count]").TextContent.Trim()));
        Assert.Equal(BulkRerunDialog.SampleSize, dialogs.FindAll("[data-testid=bulk-rerun-sample-row]").Count);
        Assert.Equal("northwind-00059", dialogs.FindAll("[data-testid=bulk-rerun-sample-row]")[0].Children[1].TextContent.Trim());
        Assert.Contains("and 50 more", dialogs.Find("[data-testid=bulk-rerun-more]").TextContent, StringComparison.Ordinal);
        Assert.Empty(dialogs.FindAll("[data-testid=bulk-rerun-skipped]"));

        // Three more fail while the admin reads the dialog: "all matching" is what matches when they confirm.
        var late = await BulkTestData.SeedAsync(context.Services, 3, ExecutionStatus.Failed, "northwind-late");
        dialogs.Find("textarea[data-testid=bulk-rerun-reason]").Change("license manager outage 02:00-03:10");
        await SubmitAsync(dialogs);

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=bulk-rerun-dialog]")));
        await using var db = database.CreateDbContext();
        var bulk = await db.BulkReruns.AsNoTracking().Include(b => b.Items).SingleAsync();
        Assert.Equal(63, bulk.Total);
        Assert.Equal(northwind.Concat(late).Order(), bulk.Items.Select(i => i.ExecutionId).Order());
        Assert.Equal(RerunMode.ResumeFromFailedStep, bulk.Mode);
        Assert.Equal("All 63 executions matching /executions?q=northwind&status=Failed when confirmed", bulk.Description);
    }

    [Fact]
    public async Task More_than_a_bulk_rerun_can_take_is_refused_in_words_and_nothing_can_be_confirmed()
    {
        await BulkTestData.SeedAsync(context.Services, BulkRerun.MaxItems + 1);
        await context.SignInAsUserAsync(Roles.Admin);
        var (page, dialogs) = Open("/executions");
        page.WaitForAssertion(() => Assert.Equal("Re-run all 10,000+ matching", page.Find("[data-testid=bulk-all-action]").TextContent.Trim()));

        await ClickAsync(page, p => p.Find("[data-testid=bulk-all-action]"));

        dialogs.WaitForAssertion(() => Assert.Contains(
            "A bulk re-run takes at most 10,000 executions", dialogs.Find("[data-testid=bulk-rerun-too-many]").TextContent, StringComparison.Ordinal));
        Assert.Equal("More than 10,000 executions match /executions.", dialogs.Find("[data-testid=bulk-rerun-count]").TextContent.Trim());
        Assert.True(dialogs.Find("[data-testid=confirm-bulk-rerun]").HasAttribute("disabled"));
        Assert.Empty(dialogs.FindAll("textarea[data-testid=bulk-rerun-reason]"));
    }

    [Fact]
    public async Task The_dialog_counts_the_failures_that_already_have_a_rerun_as_skipped_as_the_job_will()
    {
        var failed = await BulkTestData.SeedAsync(context.Services, 3, ExecutionStatus.Failed, "failed");
        await using (var scope = context.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .RerunAsync(failed[0], new RerunRequest(RerunMode.FromStart, "ticket 4711"), TestActors.Admin, default);
        }

        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(1, await db.WorkflowExecutions.CountAsync(e => e.RerunOfId == failed[0] && e.Status == ExecutionStatus.Pending));
        }

        await context.SignInAsUserAsync(Roles.Admin);
        var (page, dialogs) = Open("/executions?status=Failed");
        page.WaitForAssertion(() => Assert.Equal("Re-run all 3 matching", page.Find("[data-testid=bulk-all-action]").TextContent.Trim()));

        await ClickAsync(page, p => p.Find("[data-testid=bulk-all-action]"));

        dialogs.WaitForAssertion(() => Assert.Equal(
            "2 executions will be re-run; 1 will be skipped and listed as not re-run.", dialogs.Find("[data-testid=bulk-rerun-plan]").TextContent.Trim()));
        Assert.Contains("1 of them already has a pending, running or succeeded re-run", dialogs.Find("[data-testid=bulk-rerun-already]").TextContent, StringComparison.Ordinal);
        Assert.Empty(dialogs.FindAll("[data-testid=bulk-rerun-skipped]"));
        Assert.Equal("Re-run 2 executions", dialogs.Find("[data-testid=confirm-bulk-rerun]").TextContent.Trim());
    }

    [Fact]
    public async Task Changing_the_filters_clears_the_ticks_and_cancelling_the_dialog_changes_nothing()
    {
        await BulkTestData.SeedAsync(context.Services, 4);
        await context.SignInAsUserAsync(Roles.Admin);
        var (page, dialogs) = Open("/executions");
        await ChangeAsync(page, p => TickOf(p, "bulk-00001"), true);
        page.WaitForAssertion(() => Assert.Equal("1 selected", page.Find("[data-testid=bulk-ticked]").TextContent));

        await ClickAsync(page, p => p.Find("[data-testid=bulk-ticked-action]"));
        await ClickAsync(dialogs, d => d.Find("[data-testid=cancel-bulk-rerun]"));
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=bulk-rerun-dialog]")));
        Assert.Equal("1 selected", page.Find("[data-testid=bulk-ticked]").TextContent);

        await ClickAsync(page, p => p.Find("[data-testid=status-chip-Failed]"));
        page.WaitForAssertion(() => Assert.Equal("No rows selected", page.Find("[data-testid=bulk-ticked]").TextContent));
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.BulkReruns.CountAsync());
        Assert.EndsWith("/executions?status=Failed", Navigation.Uri, StringComparison.Ordinal);
    }

    private (IRenderedComponent<ExecutionsListPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) Open(string url)
    {
        var dialogs = context.Render<MudDialogProvider>();
        Navigation.NavigateTo(url);
        var page = context.Render<ExecutionsListPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=row]")));
        return (page, dialogs);
    }

    private static IElement TickOf(IRenderedComponent<ExecutionsListPage> page, string businessKey) =>
        page.FindAll("tbody tr").Single(r => r.TextContent.Contains(businessKey, StringComparison.Ordinal)).QuerySelector("[data-testid=tick-row] input")!;

    // Find and act in one dispatcher turn, as MudBlazor re-renders and a found element can be replaced under the
    // test. Not awaiting the handler: a button that opens a dialog finishes only when the dialog closes.
    private static Task ChangeAsync<TComponent>(IRenderedComponent<TComponent> component, Func<IRenderedComponent<TComponent>, IElement> find, bool value)
        where TComponent : IComponent =>
        component.InvokeAsync(() => find(component).Change(value));

    private static Task ClickAsync<TComponent>(IRenderedComponent<TComponent> component, Func<IRenderedComponent<TComponent>, IElement> find)
        where TComponent : IComponent =>
        component.InvokeAsync(() => find(component).Click());

    private static Task SubmitAsync(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.InvokeAsync(() => dialogs.Find("form#bulk-rerun-form").SubmitAsync());
}

public sealed class SqliteBulkRerunDialogTests(SqliteDatabaseFixture database)
    : BulkRerunDialogTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresBulkRerunDialogTests(PostgresDatabaseFixture database)
    : BulkRerunDialogTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
