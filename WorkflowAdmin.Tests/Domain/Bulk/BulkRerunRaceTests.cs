using Hangfire;
using Hangfire.InMemory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Bulk;

/// <summary>
/// Bulk re-runs under concurrency on PostgreSQL, where the writers really run side by side: a job delivered twice
/// while the first delivery still runs (its lock expired) and the same confirmation submitted several times at once.
/// </summary>
public sealed class BulkRerunRaceTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly List<InMemoryStorage> lockStorages = [];
    private TestServices services = null!;

    private RecordingDispatcher Dispatcher => services.GetRequiredService<RecordingDispatcher>();

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        lockStorages.ForEach(s => s.Dispose());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task A_job_delivered_again_while_the_first_delivery_still_runs_reruns_each_execution_once(int deliveries)
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 6 * BulkRerunJob.BatchSize);
        var bulk = await StartAsync(Guid.NewGuid(), originals);

        // Each delivery takes its lock in a queue storage of its own, so none sees the others' lock: what happens
        // when a lock expires, or a job is delivered again while the first one still runs.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = Enumerable.Range(0, deliveries).Select(async _ =>
        {
            var job = UnlockedJob();
            await go.Task;
            await job.RunAsync(bulk.Id, default);
        }).ToList();
        go.SetResult();
        await Task.WhenAll(runs);

        // And once more after they all finished, as a late redelivery would.
        await UnlockedJob().RunAsync(bulk.Id, default);

        await using var db = database.CreateDbContext();
        var reruns = await db.WorkflowExecutions.AsNoTracking().Where(e => e.RerunOfId != null).ToListAsync();
        Assert.Equal(originals.Order(), reruns.Select(r => r.RerunOfId!.Value).Order());
        var stored = await db.BulkReruns.AsNoTracking().Include(b => b.Items).SingleAsync();
        Assert.Equal((ExecutionStatus.Succeeded, originals.Count, 0), (stored.Status, stored.SucceededCount, stored.FailedCount));
        Assert.Equal(reruns.Select(r => r.Id).Order(), stored.Items.Select(i => i.RerunExecutionId!.Value).Order());

        // Only committed re-runs were handed to the workers, each once.
        Assert.Equal(reruns.Select(r => r.Id).Order(), Dispatcher.Enqueued.Order());
    }

    [Fact]
    public async Task The_same_confirmation_submitted_ten_times_at_once_creates_one_bulk_rerun()
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 20);
        var token = Guid.NewGuid();

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var submits = Enumerable.Range(0, 10).Select(async _ =>
        {
            await go.Task;
            return await StartAsync(token, originals);
        }).ToList();
        go.SetResult();
        var answers = await Task.WhenAll(submits);

        await using var db = database.CreateDbContext();
        var stored = await db.BulkReruns.AsNoTracking().SingleAsync();
        Assert.All(answers, a => Assert.Equal(stored.Id, a.Id));
        Assert.Equal(token, stored.SubmitToken);
        Assert.Equal(originals.Count, await db.BulkRerunItems.CountAsync());
        Assert.Equal(1, await db.AuditEntries.CountAsync());

        // A later submit of the same confirmation gets the same answer, and a new confirmation a new bulk re-run.
        Assert.Equal(stored.Id, (await StartAsync(token, originals)).Id);
        Assert.NotEqual(stored.Id, (await StartAsync(Guid.NewGuid(), originals)).Id);
        Assert.Equal(2, await db.BulkReruns.CountAsync());
    }

    [Fact]
    public async Task A_confirmation_token_is_refused_to_anyone_but_the_admin_it_was_used_by_and_an_empty_one_is_refused()
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 2);
        var token = Guid.NewGuid();
        await StartAsync(token, originals);

        var other = WorkflowAdmin.Domain.Security.Actor.ForUser("other.admin@example.com", [WorkflowAdmin.Domain.Identity.Roles.Admin]);
        var stolen = await Assert.ThrowsAsync<InputValidationException>(() => services.InScopeAsync(sp =>
            sp.GetRequiredService<BulkReruns>().StartAsync(token, originals, RerunMode.FromStart, "outage", "2 selected", other, default)));
        var empty = await Assert.ThrowsAsync<InputValidationException>(() => StartAsync(Guid.Empty, originals));

        Assert.StartsWith("submitToken: belongs to another person's confirmation", Assert.Single(stolen.Errors).ToString(), StringComparison.Ordinal);
        Assert.StartsWith("submitToken: is required", Assert.Single(empty.Errors).ToString(), StringComparison.Ordinal);
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.BulkReruns.CountAsync());
    }

    private Task<BulkRerun> StartAsync(Guid token, IReadOnlyList<Guid> ids) =>
        services.InScopeAsync(sp => sp.GetRequiredService<BulkReruns>()
            .StartAsync(token, ids, RerunMode.ResumeFromFailedStep, "license manager outage", "chosen in a test", TestActors.Admin, default));

    private BulkRerunJob UnlockedJob()
    {
        var lockStorage = new InMemoryStorage();
        lockStorages.Add(lockStorage);
        return new BulkRerunJob(
            services.GetRequiredService<IServiceScopeFactory>(),
            new BulkRerunJobs(services.GetRequiredService<IBackgroundJobClient>(), lockStorage),
            Dispatcher,
            services.Time,
            services.GetRequiredService<ILogger<BulkRerunJob>>());
    }
}
