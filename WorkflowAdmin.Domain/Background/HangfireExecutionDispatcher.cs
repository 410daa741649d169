using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Background;

/// <summary>The execution dispatcher on Hangfire: one fire-and-forget job per run, its id noted on the execution.</summary>
internal sealed class HangfireExecutionDispatcher(
    IBackgroundJobClient jobs,
    JobStorage storage,
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider time,
    IOptions<BackgroundOptions> options)
    : IExecutionDispatcher
{
    private static readonly HashSet<string> WaitingStates = [EnqueuedState.StateName, ScheduledState.StateName, AwaitingState.StateName];

    public async Task<string> EnqueueAsync(Guid executionId, CancellationToken cancellationToken)
    {
        var jobId = jobs.Enqueue<ExecutionJob>(job => job.RunAsync(executionId, CancellationToken.None));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.WorkflowExecutions.Where(e => e.Id == executionId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.JobId, jobId), cancellationToken);
        return jobId;
    }

    public bool IsAlive(string? jobId)
    {
        if (string.IsNullOrEmpty(jobId))
        {
            return false;
        }

        using var connection = storage.GetConnection();
        var state = connection.GetStateData(jobId);
        if (state is null)
        {
            return false;
        }

        if (state.Name != ProcessingState.StateName)
        {
            return WaitingStates.Contains(state.Name);
        }

        // A worker picked the job up. Its first act is to claim the execution, so a job still Processing a grace
        // after that, for an execution still Pending, belongs to a worker that died in between (kill -9, power
        // loss): its storage would only hand the job out again after the invisibility timeout (30 minutes on
        // PostgreSQL). The job is lost; a new one is safe, since the runner's claim lets exactly one run (0016).
        var startedAt = state.Data.TryGetValue("StartedAt", out var started) ? JobHelper.DeserializeNullableDateTime(started) : null;
        return startedAt is { } pickedUp && pickedUp > time.GetUtcNow().UtcDateTime - options.Value.PendingGrace;
    }
}
