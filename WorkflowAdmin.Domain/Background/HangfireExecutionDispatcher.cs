using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Background;

/// <summary>The execution dispatcher on Hangfire: one fire-and-forget job per run, its id noted on the execution.</summary>
internal sealed class HangfireExecutionDispatcher(IBackgroundJobClient jobs, JobStorage storage, IDbContextFactory<AppDbContext> dbFactory)
    : IExecutionDispatcher
{
    private static readonly HashSet<string> LiveStates =
        [EnqueuedState.StateName, ProcessingState.StateName, ScheduledState.StateName, AwaitingState.StateName];

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
        var job = connection.GetJobData(jobId);
        return job?.State is { } state && LiveStates.Contains(state);
    }
}
