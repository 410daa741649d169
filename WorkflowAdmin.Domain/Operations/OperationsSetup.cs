using Microsoft.Extensions.DependencyInjection;

namespace WorkflowAdmin.Domain.Operations;

public static class OperationsSetup
{
    /// <summary>This node's identity and heartbeat row, and the queue figures the gauges and the System page share.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddOptions<OperationsOptions>()
            .BindConfiguration(OperationsOptions.SectionName)
            .Validate(o => o.IsValid, $"{OperationsOptions.SectionName}: HeartbeatInterval must be positive, NodeRetention longer than three heartbeats, QueueSampleInterval not negative.")
            .ValidateOnStart();
        services.AddSingleton<CurrentNode>();
        services.AddSingleton<QueueGauges>();
        services.AddHostedService<NodeHeartbeatService>();
        return services;
    }
}
