using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using WorkflowAdmin.Admin.Views;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Features.Audit;

/// <summary>
/// <c>/audit</c>: a bare address (the menu, a bookmark, clearing every filter) opens on the role's default view if an
/// Admin set one (decision 0039), else on the changes (issue #11 point 10). Any query, even one without <c>show</c>,
/// is taken as it is, so the execution's and the user's links (<c>?target=</c>, <c>?actor=</c>) and "Everything" show
/// exactly what they say.
/// </summary>
public sealed partial class AuditListPage
{
    // True from a bare address until the address with the filter arrives: the list is not created before, so it
    // never reads (or shows) everything on its way to the changes.
    private bool opening;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    public void Dispose() => Navigation.LocationChanged -= OnLocationChanged;

    protected override async Task OnInitializedAsync()
    {
        Navigation.LocationChanged += OnLocationChanged;
        await OpenOnDefaultIfBareAsync(Navigation.Uri);
    }

    // The menu's link to the log while the log is open reaches this page without a new instance.
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(async () =>
    {
        var wasOpening = opening;
        await OpenOnDefaultIfBareAsync(e.Location);
        if (opening != wasOpening)
        {
            StateHasChanged();
        }
    });

    private async Task OpenOnDefaultIfBareAsync(string uri)
    {
        var address = new Uri(uri);
        opening = address.AbsolutePath.TrimEnd('/').EndsWith("/audit", StringComparison.OrdinalIgnoreCase) && address.Query.Length <= 1;
        if (!opening)
        {
            return;
        }

        string? roleDefault = null;
        if (AuthenticationState is not null)
        {
            var user = (await AuthenticationState).User;
            await using var scope = ScopeFactory.CreateAsyncScope();
            roleDefault = await scope.ServiceProvider.GetRequiredService<SavedViews>()
                .RoleDefaultQueryAsync(AuditAdmin.SlugValue, Roles.All.Where(user.IsInRole), CancellationToken.None);
        }

        Navigation.NavigateTo(roleDefault is null ? AuditAdmin.DefaultHref : $"/audit?{roleDefault}", replace: true);
    }
}
