using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;

namespace WorkflowAdmin.Domain.Onboarding;

public static class OnboardingServiceCollectionExtensions
{
    public static IServiceCollection AddOnboarding(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The workflow
        services.AddSingleton<WorkflowDefinition, OnboardingWorkflow>();

        // The same external systems as provisioning, registered once whichever workflow is added first.
        return services.AddProvisioningPorts();
    }
}
