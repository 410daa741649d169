using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Adapters;
using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Domain.Provisioning;

public static class ProvisioningServiceCollectionExtensions
{
    public static IServiceCollection AddProvisioning(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The workflow: steps hold no state, so one definition serves every execution.
        services.AddSingleton<WorkflowDefinition, ProvisioningWorkflow>();
        services.AddScoped<IStartAdmission, CustomerAdmission>();

        // Business defaults an operator may change in appsettings.json; a bad id fails at start-up, not mid-run.
        services.AddOptions<ProvisioningOptions>()
            .BindConfiguration(ProvisioningOptions.SectionName)
            .Validate(
                o => o.DefaultCatalogQueryId > 0 && o.TrialProductId > 0 && o.PaidProductId > 0,
                "Provisioning:DefaultCatalogQueryId, TrialProductId and PaidProductId must be greater than 0.")
            .ValidateOnStart();

        return services.AddProvisioningPorts();
    }

    // External systems, stood in for by tables in our own database. Scoped, because each step attempt gets its
    // own scope and DbContext. TryAdd lets other workflows share them and lets a host or a test swap one first.
    internal static IServiceCollection AddProvisioningPorts(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<ICustomerDirectory, DatabaseCustomerDirectory>();
        services.TryAddScoped<ICatalogService, DatabaseCatalogService>();
        services.TryAddScoped<ILicenseManager, DatabaseLicenseManager>();
        services.TryAddScoped<ISubsidyService, DatabaseSubsidyService>();
        services.TryAddScoped<INotifier, OutboxNotifier>();
        return services;
    }
}
