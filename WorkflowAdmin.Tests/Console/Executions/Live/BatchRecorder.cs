using System.Threading.Channels;
using WorkflowAdmin.Live;

namespace WorkflowAdmin.Tests.Console.Executions.Live;

/// <summary>A feed listener that keeps every batch it is given, for a test to take one at a time.</summary>
public sealed class BatchRecorder
{
    private readonly Channel<ExecutionChangeBatch> batches = Channel.CreateUnbounded<ExecutionChangeBatch>();

    public Task OnChanges(ExecutionChangeBatch batch)
    {
        batches.Writer.TryWrite(batch);
        return Task.CompletedTask;
    }

    /// <summary>The next batch; fails the test if none comes within a generous wait (the machine may be busy).</summary>
    public async Task<ExecutionChangeBatch> NextAsync() =>
        await batches.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Whether a batch has arrived that nobody took yet.</summary>
    public bool HasMore => batches.Reader.TryPeek(out _);
}
