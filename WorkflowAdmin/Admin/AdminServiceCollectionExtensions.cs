using WorkflowAdmin.Features.ApiKeys;
using WorkflowAdmin.Features.Audit;
using WorkflowAdmin.Features.BulkReruns;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Features.Provisioning;
using WorkflowAdmin.Features.Users;

namespace WorkflowAdmin.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>The console's lists, in navigation order (within a group, the order they appear in).</summary>
    public static IServiceCollection AddAdmins(this IServiceCollection services)
    {
        services.AddSingleton<AdminRegistry>();

        // Saved views belong to every list; they read the registry to check a view against its list.
        services.AddScoped<Views.SavedViews>();

        // Pages of their own whose address a view keeps, beside the admins (decision 0042).
        services.AddSingleton<Features.Failures.FailuresViewList>();
        services.AddSingleton<Views.IViewList>(sp => sp.GetRequiredService<Features.Failures.FailuresViewList>());

        // Executions
        services.AddEntityAdmin<ExecutionsAdmin>();
        services.AddEntityAdmin<BulkRerunsAdmin>();

        // Audit
        services.AddEntityAdmin<AuditAdmin>();

        // Provisioned records
        services.AddEntityAdmin<CustomersAdmin>();
        services.AddEntityAdmin<CustomerAdminsAdmin>();
        services.AddEntityAdmin<PendingInvitesAdmin>();
        services.AddEntityAdmin<CatalogsAdmin>();
        services.AddEntityAdmin<AgreementsAdmin>();
        services.AddEntityAdmin<PlansAdmin>();
        services.AddEntityAdmin<RenewalsAdmin>();
        services.AddEntityAdmin<SubsidiesAdmin>();
        services.AddEntityAdmin<OutboxAdmin>();

        // Administration
        services.AddEntityAdmin<UsersAdmin>();
        services.AddEntityAdmin<ApiKeysAdmin>();
        return services;
    }

    /// <summary>Registers one admin (a singleton: it holds declarations only) and lists it in the registry.</summary>
    public static IServiceCollection AddEntityAdmin<TAdmin>(this IServiceCollection services)
        where TAdmin : EntityAdmin
    {
        // The admin reads relative dates against the host's clock (a fake one in tests), not the system's directly.
        services.AddSingleton(sp =>
        {
            var admin = ActivatorUtilities.CreateInstance<TAdmin>(sp);
            admin.Clock = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            return admin;
        });
        services.AddSingleton<EntityAdmin>(sp => sp.GetRequiredService<TAdmin>());
        return services;
    }
}
