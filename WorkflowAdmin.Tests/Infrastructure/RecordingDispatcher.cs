using System.Collections.Concurrent;
using WorkflowAdmin.Domain.Background;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// Stands in for the job queue where a test runs executions itself (through the runner) and only needs to know
/// what was handed over; tests of background execution use the real queue and workers.
/// </summary>
public sealed class RecordingDispatcher : IExecutionDispatcher
{
    public ConcurrentQueue<Guid> Enqueued { get; } = new();

    public Task EnqueueAsync(Guid executionId, CancellationToken cancellationToken)
    {
        Enqueued.Enqueue(executionId);
        return Task.CompletedTask;
    }
}
