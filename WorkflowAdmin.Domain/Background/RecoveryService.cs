using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WorkflowAdmin.Domain.Background;

/// <summary>Runs <see cref="ExecutionRecovery"/> at start-up and then every <see cref="BackgroundOptions.RecoveryInterval"/>.</summary>
internal sealed partial class RecoveryService(
    IServiceProvider services, TimeProvider time, IOptions<BackgroundOptions> options, ILogger<RecoveryService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecoveryInterval, time);
        do
        {
            try
            {
                await services.GetRequiredService<ExecutionRecovery>().SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A sweep that fails (database briefly away) must not stop the next one.
                LogSweepFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
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
