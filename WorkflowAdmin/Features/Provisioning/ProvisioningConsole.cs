using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Features.Provisioning.Start;
using WorkflowAdmin.Features.Start;

namespace WorkflowAdmin.Features.Provisioning;

/// <summary>What the console adds for the provisioning workflow beyond the pages every workflow gets.</summary>
public static class ProvisioningConsole
{
    public static IServiceCollection AddProvisioningConsole(this IServiceCollection services)
    {
        // Provisioning keeps its own start form: sections with a live summary and cross-field defaults a schema
        // cannot say. Every other workflow gets the generated form.
        services.AddSingleton(new CustomStartForm(ProvisioningWorkflow.WorkflowKey, typeof(TriggerProvisioningPage)));
        return services;
    }
}
