using Hangfire;
using Hangfire.States;
using Hangfire.Storage;

namespace WorkflowAdmin.Domain.Bulk;

/// <summary>
/// Puts bulk re-runs on the job queue and answers the two questions recovery and the job ask: is a job still
/// waiting for or working on this bulk re-run, and may this job work on it now. The job's id is kept in the
/// queue's own storage (a small hash per bulk re-run) rather than on the row, so it lives and dies with the job
/// it names: an in-memory queue lost in a restart takes its ids with it, and recovery then sees no live job.
/// </summary>
public sealed class BulkRerunJobs(IBackgroundJobClient client, JobStorage storage)
{
    private const string JobField = "job";

    private static readonly HashSet<string> LiveStates =
        [EnqueuedState.StateName, ProcessingState.StateName, ScheduledState.StateName, AwaitingState.StateName];

    // Long enough to outlive any bulk re-run's job (finished jobs expire after a day); short enough not to pile up.
    private static readonly TimeSpan JobNoteLifetime = TimeSpan.FromDays(7);

    /// <summary>Asks a worker to process <paramref name="bulkId"/>; call only after the bulk re-run is committed.</summary>
    public string Enqueue(Guid bulkId)
    {
        var jobId = client.Enqueue<BulkRerunJob>(job => job.RunAsync(bulkId, CancellationToken.None));
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetRangeInHash(NoteKey(bulkId), [new KeyValuePair<string, string>(JobField, jobId)]);
        if (transaction is JobStorageTransaction expiring)
        {
            expiring.ExpireHash(NoteKey(bulkId), JobNoteLifetime);
        }

        transaction.Commit();
        return jobId;
    }

    /// <summary>The job last queued for <paramref name="bulkId"/>, if the queue still remembers one.</summary>
    public string? JobIdOf(Guid bulkId)
    {
        using var connection = storage.GetConnection();
        return connection.GetAllEntriesFromHash(NoteKey(bulkId))?.GetValueOrDefault(JobField);
    }

    /// <summary>Whether a job for <paramref name="bulkId"/> is queued or running (false once it ended, or was lost).</summary>
    public bool HasLiveJob(Guid bulkId)
    {
        using var connection = storage.GetConnection();
        var jobId = connection.GetAllEntriesFromHash(NoteKey(bulkId))?.GetValueOrDefault(JobField);
        return jobId is not null && connection.GetJobData(jobId)?.State is { } state && LiveStates.Contains(state);
    }

    /// <summary>
    /// The right to work on <paramref name="bulkId"/>, held until disposed, or null when another job holds it. A
    /// distributed lock in the queue's storage, so it holds across every node that shares the queue.
    /// </summary>
    public IDisposable? TryClaim(Guid bulkId)
    {
        var connection = storage.GetConnection();
        try
        {
            return new Claim(connection, connection.AcquireDistributedLock($"workflowadmin:bulk-rerun-lock:{bulkId:N}", TimeSpan.Zero));
        }
        catch (DistributedLockTimeoutException)
        {
            connection.Dispose();
            return null;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string NoteKey(Guid bulkId) => $"workflowadmin:bulk-rerun:{bulkId:N}";

    private sealed class Claim(IStorageConnection connection, IDisposable distributedLock) : IDisposable
    {
        public void Dispose()
        {
            distributedLock.Dispose();
            connection.Dispose();
        }
    }
}
