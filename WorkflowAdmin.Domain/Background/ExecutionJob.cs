using Hangfire;
using Microsoft.Extensions.Logging;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Domain.Background;

/// <summary>
/// The background job that runs one execution: the ADR's "wrap a workflow's execution inside a single task". The
/// engine retries steps and records failures itself, so Hangfire must never retry the job (a retry would be a
/// second run); a job delivered twice is harmless because the runner's claim lets only one run.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed partial class ExecutionJob(WorkflowRunner runner, ILogger<ExecutionJob> logger)
{
    [JobDisplayName("Run execution {0}")]
    public async Task RunAsync(Guid executionId, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await runner.RunAsync(executionId, cancellationToken);
            LogRan(executionId, outcome);
        }
        catch (ExecutionStateException ex)
        {
            // Already finished (a late duplicate delivery): nothing to do, and not a job failure.
            LogSkipped(executionId, ex.Message);
        }
        catch (ExecutionNotFoundException)
        {
            LogSkipped(executionId, "the execution does not exist");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId}: {Outcome}.")]
    private partial void LogRan(Guid executionId, RunOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} was not run: {Reason}")]
    private partial void LogSkipped(Guid executionId, string reason);
}
