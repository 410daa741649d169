using Hangfire;
using Hangfire.Dashboard;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Hosting;

/// <summary>
/// Hangfire's dashboard at /jobs, for Admins only and read-only for them too: every change to work goes through the
/// console, where it is authorised per action and audited; a "requeue" or "delete" button here would bypass both.
/// </summary>
internal static class JobsDashboard
{
    public const string Path = "/jobs";

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHangfireDashboard(Path, new DashboardOptions
        {
            DashboardTitle = "WorkflowAdmin jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
            IsReadOnlyFunc = _ => true,
            Authorization = [new AdminsOnly()],
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        return endpoints;
    }

    // The endpoint's policy already refuses everyone else; Hangfire insists on its own check as well (its default
    // allows local requests only), so it repeats the same rule.
    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
