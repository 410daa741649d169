using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Domain.Background;

/// <summary>
/// A worker node's executions: up to <see cref="BackgroundOptions.WorkerCount"/> at once, reserved from the
/// executions table (<see cref="PendingExecutions"/>) whenever a worker is free, and run by <see cref="WorkflowRunner"/>.
/// It looks again when an execution is queued on this node, when one of its runs ends, and otherwise every
/// <see cref="BackgroundOptions.PollInterval"/>. On shutdown it stops reserving and lets the runs in flight finish
/// until the host's shutdown timeout; a run cut off then stays Running and recovery resumes it after the lease.
/// </summary>
internal sealed partial class ExecutionWorkers(
    PendingExecutions queue, WorkflowRunner runner, IOptions<BackgroundOptions> options, ILogger<ExecutionWorkers> logger)
    : BackgroundService
{
    private readonly CancellationTokenSource abortRuns = new();
    private readonly HashSet<Task> runs = [];
    private int active;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var capacity = Math.Max(1, options.Value.WorkerCount);
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = capacity - Volatile.Read(ref active);
            if (free > 0)
            {
                foreach (var id in await ReserveAsync(free, stoppingToken))
                {
                    Interlocked.Increment(ref active);
                    Track(RunAsync(id));
                }
            }

            try
            {
                await queue.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await using var abort = cancellationToken.Register(abortRuns.Cancel);
        Task[] inFlight;
        lock (runs)
        {
            inFlight = [.. runs];
        }

        await Task.WhenAll(inFlight);
    }

    public override void Dispose()
    {
        abortRuns.Dispose();
        base.Dispose();
    }

    private async Task<IReadOnlyList<Guid>> ReserveAsync(int free, CancellationToken stoppingToken)
    {
        try
        {
            return await queue.ReserveAsync(free, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The database is briefly away (or refused the query): nothing was reserved; look again at the next poll.
            LogReserveFailed(ex);
            return [];
        }
        catch (OperationCanceledException)
        {
            return [];
        }
    }

    private void Track(Task run)
    {
        lock (runs)
        {
            runs.Add(run);
        }

        _ = run.ContinueWith(
            finished =>
            {
                lock (runs)
                {
                    runs.Remove(finished);
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunAsync(Guid executionId)
    {
        // Off the reserving loop at once: the runner's first await may complete synchronously.
        await Task.Yield();
        try
        {
            var outcome = await runner.RunAsync(executionId, abortRuns.Token);
            LogRan(executionId, outcome);
        }
        catch (ExecutionStateException ex)
        {
            // Finished since it was reserved (cancelled while Pending, say): nothing to do.
            LogSkipped(executionId, ex.Message);
        }
        catch (ExecutionNotFoundException)
        {
            LogSkipped(executionId, "the execution does not exist");
        }
        catch (OperationCanceledException) when (abortRuns.IsCancellationRequested)
        {
            // Cut off by shutdown: the execution stays Running and recovery resumes it once the lease has passed.
            LogAborted(executionId);
        }
        catch (Exception ex)
        {
            // The runner records the execution's own failures and stops on database faults after its claim; what
            // escapes is a fault while loading or claiming. The execution is then Pending with a reservation that
            // lapses after the grace, or Running without a heartbeat until the lease runs out: picked up either way.
            LogRunFailed(ex, executionId);
        }
        finally
        {
            Interlocked.Decrement(ref active);
            queue.Wake();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Execution {ExecutionId}: {Outcome}.")]
    private partial void LogRan(Guid executionId, RunOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} was not run: {Reason}")]
    private partial void LogSkipped(Guid executionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} was cut off by shutdown; recovery resumes it after the lease.")]
    private partial void LogAborted(Guid executionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} could not be run; recovery picks it up again.")]
    private partial void LogRunFailed(Exception exception, Guid executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reserving queued executions failed; the next poll tries again.")]
    private partial void LogReserveFailed(Exception exception);
}
