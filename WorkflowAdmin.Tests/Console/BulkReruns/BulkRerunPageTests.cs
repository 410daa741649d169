using System.Collections.Concurrent;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.BulkReruns;
using WorkflowAdmin.Tests.Domain.Bulk;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.BulkReruns;

/// <summary>
/// A bulk re-run's progress page following the real job, and the list of bulk re-runs; over a real database, once
/// per provider. The job is run by the test, as a worker would run it.
/// </summary>
public abstract class BulkRerunPageTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly ConsoleTestContext context;
    private readonly StoppingDispatcher dispatcher = new();

    protected BulkRerunPageTests(TDatabase database)
    {
        context = new ConsoleTestContext(database);
        context.Services.AddAdmins();
        context.Services.AddSingleton<IExecutionDispatcher>(dispatcher);

        // Interactive, as on a circuit: the page then follows the job on the context's fake clock.
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task The_progress_page_follows_the_job_batch_by_batch_and_lists_each_execution_with_its_outcome()
    {
        var failed = await BulkTestData.SeedAsync(context.Services, 60, ExecutionStatus.Failed, "outage");
        var succeeded = await BulkTestData.SeedAsync(context.Services, 2, ExecutionStatus.Succeeded, "fine");
        var bulk = await StartAsync([.. failed, .. succeeded]);
        context.SignInAs(Roles.Auditor);

        var page = Render(bulk.Id);

        Assert.Equal("Bulk re-run of 62 executions", page.Find("[data-testid=bulk-title]").TextContent);
        Assert.Equal("Pending", page.Find("[data-testid=bulk-header] [data-testid=status-chip]").GetAttribute("data-status"));
        Assert.Equal("0 of 62 processed (0 %) · 0 re-run · 0 not re-run", page.Find("[data-testid=bulk-counters]").TextContent);
        Assert.Equal(TestActors.Admin.Name, page.Find("[data-testid=bulk-requested-by]").TextContent);
        Assert.Equal("license manager outage 02:00-03:10", page.Find("[data-testid=bulk-reason]").TextContent);
        Assert.StartsWith("Resume from the failed step", page.Find("[data-testid=bulk-mode]").TextContent, StringComparison.Ordinal);
        Assert.Equal("all matching in a test", page.Find("[data-testid=bulk-description]").TextContent);
        page.WaitForAssertion(() => Assert.Equal(50, page.FindAll("[data-testid=item-result]").Count));
        Assert.All(page.FindAll("[data-testid=item-result]"), r => Assert.Equal("Waiting", r.TextContent));

        // The first batch commits, then the worker stops; a second later the page has caught up.
        dispatcher.StopAfterFirstBatch();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunJobAsync(bulk.Id, dispatcher.Stopping));
        context.Time.Advance(TimeSpan.FromSeconds(1));
        page.WaitForAssertion(() => Assert.Equal(
            "50 of 62 processed (81 %) · 50 re-run · 0 not re-run", page.Find("[data-testid=bulk-counters]").TextContent));
        Assert.Equal("Running", page.Find("[data-testid=bulk-header] [data-testid=status-chip]").GetAttribute("data-status"));
        Assert.Equal("81", page.Find("[data-testid=bulk-progress]").GetAttribute("data-value"));
        page.WaitForAssertion(() => Assert.All(page.FindAll("[data-testid=item-result]"), r => Assert.Equal("Re-run created", r.TextContent)));

        // The rest, and the end.
        await RunJobAsync(bulk.Id, default);
        context.Time.Advance(TimeSpan.FromSeconds(1));
        page.WaitForAssertion(() => Assert.Equal(
            "62 of 62 processed (100 %) · 60 re-run · 2 not re-run", page.Find("[data-testid=bulk-counters]").TextContent));
        Assert.Equal("Failed", page.Find("[data-testid=bulk-header] [data-testid=status-chip]").GetAttribute("data-status"));
        Assert.NotEqual("—", page.Find("[data-testid=bulk-finished]").TextContent);
        Assert.Equal("2 executions not re-run: the list below says why.", page.Find("[data-testid=bulk-end]").TextContent);
        page.WaitForAssertion(() => Assert.Equal("The new executions now: 60 waiting to run.", page.Find("[data-testid=bulk-outcomes]").TextContent));

        var firstRow = page.FindAll("[data-testid=bulk-items] tbody tr")[0];
        Assert.Equal($"/executions/{failed[0]}", firstRow.QuerySelector("[data-testid=item-original]")!.GetAttribute("href"));
        Assert.Contains("outage-00000", firstRow.TextContent, StringComparison.Ordinal);
        var rerunHref = firstRow.QuerySelector("[data-testid=item-rerun]")!.GetAttribute("href");
        Assert.Equal($"/executions/{dispatcher.Enqueued.First()}", rerunHref);
        Assert.Equal("Pending", firstRow.QuerySelector("[data-testid=status-chip]")!.GetAttribute("data-status"));

        // The bulk re-run is over, but its executions are not: the page keeps following them until they finish.
        await using (var scope = context.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExecutionService>().CancelAsync(dispatcher.Enqueued.First(), "not needed after all", TestActors.Admin, default);
        }

        context.Time.Advance(TimeSpan.FromSeconds(1));
        page.WaitForAssertion(() =>
        {
            Assert.Equal("The new executions now: 59 waiting to run · 1 cancelled.", page.Find("[data-testid=bulk-outcomes]").TextContent);
        });
        page.WaitForAssertion(() => Assert.Equal(
            "Cancelled", page.FindAll("[data-testid=bulk-items] tbody tr")[0].QuerySelector("[data-testid=status-chip]")!.GetAttribute("data-status")));

        // Only the ones that were not re-run, and why; the choice is in the address.
        await page.InvokeAsync(() => page.Find("[data-testid=items-not-rerun]").Click());
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=item-result]").Count));
        Assert.EndsWith($"/bulk-reruns/{bulk.Id}?show=not-rerun", Navigation.Uri, StringComparison.Ordinal);
        Assert.All(page.FindAll("[data-testid=item-result]"), r => Assert.Equal("Not re-run", r.TextContent));
        Assert.All(page.FindAll("[data-testid=item-error]"), e =>
            Assert.Contains("is Succeeded; only Failed or Cancelled executions can be re-run", e.TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=item-rerun]"));
    }

    [Fact]
    public void An_unknown_bulk_rerun_says_so()
    {
        context.SignInAs(Roles.Admin);

        var page = Render(Guid.NewGuid());

        Assert.NotNull(page.Find("[data-testid=bulk-not-found]"));
    }

    [Fact]
    public async Task The_list_of_bulk_reruns_is_for_admins_and_auditors_and_links_to_each()
    {
        var failed = await BulkTestData.SeedAsync(context.Services, 3);
        var bulk = await StartAsync(failed);

        context.SignInAs(Roles.Support);
        Navigation.NavigateTo("/bulk-reruns");
        var denied = context.Render<AdminListPage>(p => p.Add(x => x.Slug, BulkRerunsAdmin.SlugValue));
        Assert.NotNull(denied.Find("[data-testid=access-denied]"));

        context.SignInAs(Roles.Auditor);
        var page = context.Render<AdminListPage>(p => p.Add(x => x.Slug, BulkRerunsAdmin.SlugValue));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=row]")));
        Assert.Equal($"/bulk-reruns/{bulk.Id}", page.Find("[data-testid=row]").GetAttribute("href"));
        var row = page.Find("tbody tr").TextContent;
        Assert.Contains(TestActors.Admin.Name, row, StringComparison.Ordinal);
        Assert.Contains("license manager outage", row, StringComparison.Ordinal);
        Assert.Contains("ResumeFromFailedStep", row, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=bulk-bar]"));
    }

    private IRenderedComponent<BulkRerunPage> Render(Guid id)
    {
        Navigation.NavigateTo($"/bulk-reruns/{id}");
        var page = context.Render<BulkRerunPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=bulk-loading]")));
        return page;
    }

    private async Task<BulkRerun> StartAsync(IReadOnlyList<Guid> ids)
    {
        await using var scope = context.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WorkflowAdmin.Domain.Bulk.BulkReruns>()
            .StartAsync(Guid.NewGuid(), ids, RerunMode.ResumeFromFailedStep, "license manager outage 02:00-03:10", "all matching in a test", TestActors.Admin, default);
    }

    private async Task RunJobAsync(Guid bulkId, CancellationToken cancellationToken)
    {
        await using var scope = context.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BulkRerunJob>().RunAsync(bulkId, cancellationToken);
    }

    /// <summary>Takes the re-runs for the workers and, when asked, stops the job after its first batch, as a dying worker would.</summary>
    private sealed class StoppingDispatcher : IExecutionDispatcher
    {
        private CancellationTokenSource stop = new();

        public ConcurrentQueue<Guid> Enqueued { get; } = new();

        public CancellationToken Stopping => stop.Token;

        public void StopAfterFirstBatch() => stop = new CancellationTokenSource();

        public Task EnqueueAsync(Guid executionId, CancellationToken cancellationToken)
        {
            Enqueued.Enqueue(executionId);
            stop.Cancel();
            return Task.CompletedTask;
        }
    }
}

public sealed class SqliteBulkRerunPageTests(SqliteDatabaseFixture database)
    : BulkRerunPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresBulkRerunPageTests(PostgresDatabaseFixture database)
    : BulkRerunPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
