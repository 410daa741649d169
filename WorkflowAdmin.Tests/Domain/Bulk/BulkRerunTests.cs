using System.Collections.Concurrent;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Bulk;

/// <summary>
/// Bulk re-runs from the service to the job, against a real database and the real (unprocessed) job queue: the
/// tests run the job method themselves, as a worker would. Run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class BulkRerunTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Reason = "license manager outage 02:00-03:10";

    private TestServices services = null!;

    private ProgressProbe Probe => services.GetRequiredService<ProgressProbe>();

    private BulkRerunJobs Jobs => services.GetRequiredService<BulkRerunJobs>();

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s =>
        {
            s.AddSingleton<ProgressProbe>();
            s.AddSingleton<IExecutionDispatcher>(sp => sp.GetRequiredService<ProgressProbe>());
        });
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Five_hundred_failed_executions_become_five_hundred_linked_reruns_saved_batch_by_batch_under_one_audit_entry()
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 500);

        var bulk = await StartAsync(originals, RerunMode.ResumeFromFailedStep, "all matching: status=Failed");

        Assert.Equal(500, bulk.Total);
        Assert.Equal(ExecutionStatus.Pending, bulk.Status);
        Assert.True(Jobs.HasLiveJob(bulk.Id));

        await RunJobAsync(bulk.Id);

        await using var db = database.CreateDbContext();
        var reruns = await db.WorkflowExecutions.AsNoTracking().Include(e => e.Steps).Where(e => e.RerunOfId != null).ToListAsync();
        Assert.Equal(500, reruns.Count);
        Assert.Equal(originals.Order(), reruns.Select(r => r.RerunOfId!.Value).Order());
        Assert.All(reruns, r =>
        {
            Assert.Equal(ExecutionStatus.Pending, r.Status);
            Assert.Equal(RerunMode.ResumeFromFailedStep, r.RerunMode);
            Assert.Equal(Reason, r.RerunReason);
            Assert.Equal(TriggerSource.Rerun, r.TriggerSource);
            Assert.Equal(TestActors.Admin.Name, r.TriggeredBy);
            Assert.Equal(r.RerunOfId, r.RootExecutionId);
            var steps = r.Steps.OrderBy(s => s.Ordinal).ToList();
            Assert.Equal(BulkTestData.FailedStep, steps.First(s => !s.IsReused).StepKey);
            Assert.All(steps.SkipWhile(s => s.IsReused), s => Assert.False(s.IsReused));
            Assert.Equal(4, steps.Count(s => s.IsReused));
        });

        var stored = await db.BulkReruns.AsNoTracking().Include(b => b.Items).SingleAsync();
        Assert.Equal(ExecutionStatus.Succeeded, stored.Status);
        Assert.Equal((500, 0), (stored.SucceededCount, stored.FailedCount));
        Assert.NotNull(stored.StartedAt);
        Assert.NotNull(stored.FinishedAt);
        Assert.Equal(originals, stored.Items.OrderBy(i => i.Ordinal).Select(i => i.ExecutionId));
        var rerunOf = reruns.ToDictionary(r => r.RerunOfId!.Value, r => r.Id);
        Assert.All(stored.Items, i =>
        {
            Assert.Equal(ExecutionStatus.Succeeded, i.Status);
            Assert.Equal(rerunOf[i.ExecutionId], i.RerunExecutionId);
            Assert.Null(i.Error);
        });

        // Every new execution went to the workers only after its batch (and the progress) was committed.
        Assert.Equal(rerunOf.Values.Order(), Probe.Enqueued.Order());
        Assert.Equal(Enumerable.Range(1, 10).Select(b => b * BulkRerunJob.BatchSize), Probe.ProgressSeen.Distinct());

        var entry = Assert.Single(await db.AuditEntries.AsNoTracking().ToListAsync());
        Assert.Equal(AuditActions.ExecutionBulkRerun, entry.Action);
        Assert.Equal(AuditTargets.BulkRerun, entry.TargetType);
        Assert.Equal(bulk.Id.ToString(), entry.TargetId);
        Assert.Equal(Reason, entry.Reason);
        Assert.Equal(TestActors.Admin.Name, entry.Actor);
        Assert.Contains("\"count\":500", entry.AfterJson, StringComparison.Ordinal);
        Assert.Contains("\"mode\":\"ResumeFromFailedStep\"", entry.AfterJson, StringComparison.Ordinal);
        Assert.Contains("all matching: status=Failed", entry.AfterJson, StringComparison.Ordinal);
        Assert.Contains(originals[0].ToString(), entry.AfterJson, StringComparison.Ordinal);
        Assert.Contains(originals[BulkReruns.AuditSampleSize - 1].ToString(), entry.AfterJson, StringComparison.Ordinal);
        Assert.DoesNotContain(originals[BulkReruns.AuditSampleSize].ToString(), entry.AfterJson, StringComparison.Ordinal);
        Assert.True((await AuditChain.VerifyAsync(db, default)).IsIntact);
    }

    [Fact]
    public async Task Executions_that_are_not_failed_or_cancelled_or_already_rerun_are_reported_as_failed_items_and_left_alone()
    {
        var failed = await BulkTestData.SeedAsync(services.Provider, 4, ExecutionStatus.Failed, "failed");
        var cancelled = await BulkTestData.SeedAsync(services.Provider, 2, ExecutionStatus.Cancelled, "cancelled");
        var succeeded = await BulkTestData.SeedAsync(services.Provider, 3, ExecutionStatus.Succeeded, "succeeded");
        var earlier = await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>()
            .RerunAsync(failed[0], new RerunRequest(RerunMode.FromStart, "ticket 4711"), TestActors.Admin, default));

        var bulk = await StartAsync([.. failed, .. cancelled, .. succeeded], RerunMode.FromStart);
        await RunJobAsync(bulk.Id);

        await using var db = database.CreateDbContext();
        var stored = await db.BulkReruns.AsNoTracking().Include(b => b.Items).SingleAsync();
        Assert.Equal(ExecutionStatus.Failed, stored.Status);
        Assert.Equal((5, 4), (stored.SucceededCount, stored.FailedCount));
        var items = stored.Items.ToDictionary(i => i.ExecutionId);
        Assert.All(failed.Skip(1).Concat(cancelled), id => Assert.Equal(ExecutionStatus.Succeeded, items[id].Status));
        Assert.All(succeeded, id =>
        {
            Assert.Equal(ExecutionStatus.Failed, items[id].Status);
            Assert.Null(items[id].RerunExecutionId);
            Assert.Contains("is Succeeded; only Failed or Cancelled executions can be re-run", items[id].Error, StringComparison.Ordinal);
        });
        Assert.Equal(ExecutionStatus.Failed, items[failed[0]].Status);
        Assert.Equal($"Not re-run: it already has a re-run that is Pending ({earlier.Id}).", items[failed[0]].Error);

        var rerunCounts = await db.WorkflowExecutions.Where(e => e.RerunOfId != null).GroupBy(e => e.RerunOfId!.Value)
            .Select(g => new { Original = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Original, g => g.Count);
        Assert.Equal(1, rerunCounts[failed[0]]);
        Assert.All(succeeded, id => Assert.False(rerunCounts.ContainsKey(id)));
        Assert.Equal(6, rerunCounts.Count);
        Assert.Equal(2, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task A_second_delivery_of_the_same_job_adds_nothing()
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 120);
        var bulk = await StartAsync(originals, RerunMode.ResumeFromFailedStep);
        await RunJobAsync(bulk.Id);
        var enqueued = Probe.Enqueued.Count;

        await RunJobAsync(bulk.Id);

        await using var db = database.CreateDbContext();
        Assert.Equal(120, await db.WorkflowExecutions.CountAsync(e => e.RerunOfId != null));
        var stored = await db.BulkReruns.AsNoTracking().SingleAsync();
        Assert.Equal((ExecutionStatus.Succeeded, 120, 0), (stored.Status, stored.SucceededCount, stored.FailedCount));
        Assert.Equal(120, enqueued);
        Assert.Equal(enqueued, Probe.Enqueued.Count);
        Assert.Equal(1, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task A_delivery_that_finds_another_job_working_on_the_bulk_rerun_leaves_it_alone()
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 10);
        var bulk = await StartAsync(originals, RerunMode.ResumeFromFailedStep);

        using (var claim = Jobs.TryClaim(bulk.Id))
        {
            Assert.NotNull(claim);
            await RunJobAsync(bulk.Id);
            await using var db = database.CreateDbContext();
            Assert.Equal(ExecutionStatus.Pending, (await db.BulkReruns.AsNoTracking().SingleAsync()).Status);
            Assert.Equal(0, await db.WorkflowExecutions.CountAsync(e => e.RerunOfId != null));
        }

        await RunJobAsync(bulk.Id);
        await using var after = database.CreateDbContext();
        Assert.Equal(10, await after.WorkflowExecutions.CountAsync(e => e.RerunOfId != null));
    }

    [Fact]
    public async Task A_job_that_dies_half_way_is_queued_again_by_recovery_and_the_next_one_carries_on_with_the_items_left()
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 120);
        var bulk = await StartAsync(originals, RerunMode.ResumeFromFailedStep);
        using var dies = new CancellationTokenSource();
        Probe.OnEnqueue = () => dies.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunJobAsync(bulk.Id, dies.Token));
        Probe.OnEnqueue = null;

        await using (var db = database.CreateDbContext())
        {
            var halfway = await db.BulkReruns.AsNoTracking().SingleAsync();
            Assert.Equal((ExecutionStatus.Running, BulkRerunJob.BatchSize), (halfway.Status, halfway.ProcessedCount));
            Assert.Equal(BulkRerunJob.BatchSize, await db.WorkflowExecutions.CountAsync(e => e.RerunOfId != null));
        }

        // The job is gone (the process died with an in-memory queue, or someone deleted it): recovery notices,
        // once the bulk re-run is past the grace that protects one still between its commit and its enqueue.
        var lostJob = Jobs.JobIdOf(bulk.Id)!;
        Assert.True(services.GetRequiredService<IBackgroundJobClient>().Delete(lostJob));
        var recovery = services.GetRequiredService<BulkRerunRecovery>();
        Assert.Equal(0, await recovery.SweepAsync(default));
        services.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await recovery.SweepAsync(default));
        var newJob = Jobs.JobIdOf(bulk.Id);
        Assert.NotEqual(lostJob, newJob);
        Assert.True(Jobs.HasLiveJob(bulk.Id));
        Assert.Equal(0, await recovery.SweepAsync(default));

        await RunJobAsync(bulk.Id);

        await using var done = database.CreateDbContext();
        var stored = await done.BulkReruns.AsNoTracking().Include(b => b.Items).SingleAsync();
        Assert.Equal((ExecutionStatus.Succeeded, 120, 0), (stored.Status, stored.SucceededCount, stored.FailedCount));
        var reruns = await done.WorkflowExecutions.Where(e => e.RerunOfId != null).Select(e => e.RerunOfId!.Value).ToListAsync();
        Assert.Equal(originals.Order(), reruns.Order());
        Assert.All(stored.Items, i => Assert.NotNull(i.RerunExecutionId));
    }

    [Fact]
    public async Task Recovery_leaves_alone_bulk_reruns_that_are_finished_still_queued_or_just_created()
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 3);
        var finished = await StartAsync(originals[..1], RerunMode.FromStart);
        await RunJobAsync(finished.Id);
        var queued = await StartAsync(originals[1..2], RerunMode.FromStart);
        services.Time.Advance(TimeSpan.FromMinutes(5));
        var young = await StartAsync(originals[2..], RerunMode.FromStart);
        services.GetRequiredService<IBackgroundJobClient>().Delete(Jobs.JobIdOf(finished.Id)!);
        services.GetRequiredService<IBackgroundJobClient>().Delete(Jobs.JobIdOf(young.Id)!);

        Assert.Equal(0, await services.GetRequiredService<BulkRerunRecovery>().SweepAsync(default));

        Assert.True(Jobs.HasLiveJob(queued.Id));
        Assert.False(Jobs.HasLiveJob(young.Id));
        services.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await services.GetRequiredService<BulkRerunRecovery>().SweepAsync(default));
        Assert.True(Jobs.HasLiveJob(young.Id));
        Assert.False(Jobs.HasLiveJob(finished.Id));
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Auditor)]
    public async Task Support_and_auditors_are_refused_and_nothing_is_written(string role)
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 3);

        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            StartAsync(originals, RerunMode.FromStart, actor: Actor.ForUser($"{role.ToLowerInvariant()}@example.com", [role])));

        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.BulkReruns.CountAsync());
        Assert.Equal(0, await db.BulkRerunItems.CountAsync());
        Assert.Equal(0, await db.AuditEntries.CountAsync());
        Assert.Equal(3, await db.WorkflowExecutions.CountAsync());
    }

    [Fact]
    public async Task A_missing_reason_no_executions_too_many_or_unknown_ones_are_refused_in_words_and_nothing_is_written()
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 2);
        var unknown = Guid.NewGuid();

        var noReason = await Assert.ThrowsAsync<InputValidationException>(() => StartAsync(originals, RerunMode.FromStart, reason: "  "));
        var longReason = await Assert.ThrowsAsync<InputValidationException>(() =>
            StartAsync(originals, RerunMode.FromStart, reason: new string('x', WorkflowExecution.MaxReasonLength + 1)));
        var none = await Assert.ThrowsAsync<InputValidationException>(() => StartAsync([], RerunMode.FromStart));
        var tooMany = await Assert.ThrowsAsync<InputValidationException>(() =>
            StartAsync(Enumerable.Range(0, BulkRerun.MaxItems + 1).Select(_ => Guid.NewGuid()).ToList(), RerunMode.FromStart));
        var missing = await Assert.ThrowsAsync<InputValidationException>(() => StartAsync([originals[0], unknown], RerunMode.FromStart));

        Assert.Equal("reason: is required: say why you re-run these executions", Assert.Single(noReason.Errors).ToString());
        Assert.Equal("reason: must be at most 1000 characters", Assert.Single(longReason.Errors).ToString());
        Assert.Equal("executionIds: must name at least one execution to re-run", Assert.Single(none.Errors).ToString());
        Assert.Equal("executionIds: names 10,001 executions; a bulk re-run takes at most 10,000: narrow the selection", Assert.Single(tooMany.Errors).ToString());
        Assert.Equal($"executionIds: names 1 execution(s) that do not exist, such as {unknown}", Assert.Single(missing.Errors).ToString());
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.BulkReruns.CountAsync());
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task The_same_execution_chosen_twice_is_re_run_once()
    {
        var originals = await BulkTestData.SeedAsync(services.Provider, 2);

        var bulk = await StartAsync([originals[0], originals[1], originals[0]], RerunMode.FromStart);
        await RunJobAsync(bulk.Id);

        Assert.Equal(2, bulk.Total);
        await using var db = database.CreateDbContext();
        Assert.Equal(2, await db.WorkflowExecutions.CountAsync(e => e.RerunOfId != null));
    }

    private Task<BulkRerun> StartAsync(
        IReadOnlyList<Guid> ids, RerunMode mode, string description = "chosen in a test", string reason = Reason, Actor? actor = null) =>
        services.InScopeAsync(sp => sp.GetRequiredService<BulkReruns>().StartAsync(Guid.NewGuid(), ids, mode, reason, description, actor ?? TestActors.Admin, default));

    // A scope of its own, as Hangfire gives each job.
    private async Task RunJobAsync(Guid bulkId, CancellationToken cancellationToken = default)
    {
        await using var scope = services.Provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BulkRerunJob>().RunAsync(bulkId, cancellationToken);
    }

    /// <summary>
    /// Stands in for the execution queue and, at every hand-over, reads the bulk re-run's saved progress from the
    /// database: what a worker picking up the execution at that moment would see.
    /// </summary>
    private sealed class ProgressProbe(IDbContextFactory<AppDbContext> dbFactory) : IExecutionDispatcher
    {
        public ConcurrentQueue<Guid> Enqueued { get; } = new();

        public ConcurrentQueue<int> ProgressSeen { get; } = new();

        public Action? OnEnqueue { get; set; }

        public async Task EnqueueAsync(Guid executionId, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var progress = await db.BulkReruns.AsNoTracking().OrderByDescending(b => b.CreatedAt)
                .Select(b => b.SucceededCount + b.FailedCount).FirstOrDefaultAsync(cancellationToken);
            ProgressSeen.Enqueue(progress);
            Enqueued.Enqueue(executionId);
            OnEnqueue?.Invoke();
        }
    }
}

public sealed class SqliteBulkRerunTests(SqliteDatabaseFixture database)
    : BulkRerunTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresBulkRerunTests(PostgresDatabaseFixture database)
    : BulkRerunTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
