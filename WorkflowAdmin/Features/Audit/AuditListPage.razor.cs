using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;

namespace WorkflowAdmin.Features.Audit;

/// <summary>
/// <c>/audit</c>: a bare address (the menu, a bookmark, clearing every filter) opens on the changes (issue #11 point
/// 10). Any query, even one without <c>show</c>, is taken as it is, so the execution's and the user's links
/// (<c>?target=</c>, <c>?actor=</c>) and "Everything" show exactly what they say.
/// </summary>
public sealed partial class AuditListPage
{
    // True from a bare address until the address with the filter arrives: the list is not created before, so it
    // never reads (or shows) everything on its way to the changes.
    private bool opening;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    public void Dispose() => Navigation.LocationChanged -= OnLocationChanged;

    protected override void OnInitialized()
    {
        Navigation.LocationChanged += OnLocationChanged;
        OpenOnChangesIfBare(Navigation.Uri);
    }

    // The menu's link to the log while the log is open reaches this page without a new instance.
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var wasOpening = opening;
        OpenOnChangesIfBare(e.Location);
        if (opening != wasOpening)
        {
            _ = InvokeAsync(StateHasChanged);
        }
    }

    private void OpenOnChangesIfBare(string uri)
    {
        var address = new Uri(uri);
        opening = address.AbsolutePath.TrimEnd('/').EndsWith("/audit", StringComparison.OrdinalIgnoreCase) && address.Query.Length <= 1;
        if (opening)
        {
            Navigation.NavigateTo(AuditAdmin.DefaultHref, replace: true);
        }
    }
}
