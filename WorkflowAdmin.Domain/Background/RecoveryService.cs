using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Bulk;

namespace WorkflowAdmin.Domain.Background;

/// <summary>Runs <see cref="ExecutionRecovery"/> and <see cref="BulkRerunRecovery"/> at start-up and then every <see cref="BackgroundOptions.RecoveryInterval"/>.</summary>
internal sealed partial class RecoveryService(
    IServiceProvider services, TimeProvider time, IOptions<BackgroundOptions> options, ILogger<RecoveryService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecoveryInterval, time);
        do
        {
            await SweepAsync(() => services.GetRequiredService<ExecutionRecovery>().SweepAsync(stoppingToken), stoppingToken);
            await SweepAsync(() => services.GetRequiredService<BulkRerunRecovery>().SweepAsync(stoppingToken), stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private async Task SweepAsync(Func<Task> sweep, CancellationToken stoppingToken)
    {
        try
        {
            await sweep();
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // A sweep that fails (database briefly away) must not stop the other one, nor the next.
            LogSweepFailed(ex);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery sweep failed; the next one runs at the usual time.")]
    private partial void LogSweepFailed(Exception exception);
}
