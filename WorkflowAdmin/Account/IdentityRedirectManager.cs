using Microsoft.AspNetCore.Components;

namespace WorkflowAdmin.Account;

/// <summary>Redirects from static account pages, refusing anything but a local, relative target.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public void RedirectTo(string? uri)
    {
        uri ??= "";

        // Prevent open redirects: only paths on this site are followed.
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative) || uri.StartsWith("//", StringComparison.Ordinal) || uri.StartsWith("/\\", StringComparison.Ordinal))
        {
            uri = "";
        }

        navigationManager.NavigateTo(uri.Length == 0 ? "/" : uri);
    }
}
