using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Operations;

namespace WorkflowAdmin.Hosting;

/// <summary>
/// On a node that runs workers: its heartbeat reached the database within the last three beats. The heartbeat is
/// written by a loop in this process through the same database as the workers, so a node whose loops or database
/// connections are stuck stops being ready, where /health/live still answers.
/// </summary>
internal sealed class HeartbeatHealthCheck(CurrentNode node, TimeProvider time, IOptions<OperationsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (node.WorkerCount == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("A web node: no workers."));
        }

        var staleAfter = options.Value.StaleAfter;
        var result = node.LastBeatAt is { } beat && time.GetUtcNow().UtcDateTime - beat <= staleAfter
            ? HealthCheckResult.Healthy($"Worker heartbeat written at {beat:u}.")
            : HealthCheckResult.Unhealthy($"No worker heartbeat written in the last {staleAfter.TotalSeconds:0} s.");
        return Task.FromResult(result);
    }
}
