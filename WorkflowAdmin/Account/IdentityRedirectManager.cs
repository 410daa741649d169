using Microsoft.AspNetCore.Components;

namespace WorkflowAdmin.Account;

/// <summary>Redirects from static account pages, refusing anything but a local, relative target.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public void RedirectTo(string? uri)
    {
        navigationManager.NavigateTo(uri is not null && IsLocal(uri) ? uri : "/");
    }

    /// <summary>
    /// Only a path on this site is followed (the rules of ASP.NET Core's IsLocalUrl): it starts with one slash,
    /// and neither "//" nor "/\", which browsers treat as another host. Anything else goes to the dashboard.
    /// </summary>
    internal static bool IsLocal(string uri) =>
        uri.Length > 0 && uri[0] == '/' && (uri.Length == 1 || (uri[1] != '/' && uri[1] != '\\'))
        && !uri.Any(char.IsControl);
}
