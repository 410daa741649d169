using System.Security.Claims;
using MudBlazor;

namespace WorkflowAdmin.Admin;

/// <summary>
/// An action on many rows at once, after Django's admin actions. The list offers it, to <see cref="Roles"/> only,
/// on the rows the user ticks and on every row matching the list's filters; <see cref="Run"/> decides the rest
/// (usually a confirmation dialog) and says whether it acted, so the list can clear the ticks. Hiding the action
/// is a courtesy: the service behind it authorises again.
/// </summary>
/// <param name="Verb">The action's verb, capitalised ("Re-run"): buttons read "Re-run selected", "Re-run all 43 matching".</param>
/// <param name="Roles">Comma-separated roles that are offered the action.</param>
public sealed record AdminBulkAction<TRow>(
    string Verb, string Icon, string Roles, Func<AdminSelection<TRow>, IDialogService, Task<bool>> Run)
    where TRow : class
{
    public bool IsOfferedTo(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(user.IsInRole);
    }
}
