using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Views;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Admin.Views;

/// <summary>
/// A list's saved views: choose one (a link to the list with the view's query), save the current address under a
/// name, and for the view the address shows, rename or delete it and (Admins) share it with a role or make it that
/// role's default. The buttons follow the roles the page was opened with; <see cref="SavedViews"/> decides with the
/// roles the database has now, and its refusals are shown where the name is typed, so nothing typed is lost.
/// </summary>
public sealed partial class SavedViewsToolbar : IDisposable
{
    private const string PrivateValue = "";

    private enum Editing
    {
        None,
        Save,
        Rename,
    }

    private IReadOnlyList<SavedView> views = [];
    private SavedView? active;
    private Editing editing;
    private string name = "";
    private string? error;
    private bool busy;
    private ClaimsPrincipal user = new();

    /// <summary>The list the views are of: an admin, or a page of its own such as <c>/failures</c>.</summary>
    [Parameter, EditorRequired]
    public IViewList Admin { get; set; } = null!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    private bool IsAdmin => user.IsInRole(Roles.Admin);

    private string MenuLabel => active is null ? "Views" : $"View: {active.Name}";

    private IEnumerable<string> ShareableRoles =>
        Roles.All.Where(r => Admin.Roles.Split(',', StringSplitOptions.TrimEntries).Contains(r));

    public void Dispose() => Navigation.LocationChanged -= OnLocationChanged;

    protected override async Task OnInitializedAsync()
    {
        Navigation.LocationChanged += OnLocationChanged;
        if (AuthenticationState is not null)
        {
            user = (await AuthenticationState).User;
        }

        // The menu is the circuit's: a prerender is sent before anyone can open it, so it does not read the views.
        if (RendererInfo.IsInteractive)
        {
            await LoadAsync();
        }
    }

    private static string GroupLabel(SavedView view) => view.SharedWithRole is { } role ? $"Shared with {role}" : "Only me";

    private string HrefOf(SavedView view) => $"{Admin.Href}?{view.Query}";

    private bool CanChange(SavedView view) => view.IsShared ? IsAdmin : true;

    private string CurrentQuery()
    {
        var uri = Navigation.Uri;
        var at = uri.IndexOf('?', StringComparison.Ordinal);
        return at < 0 ? "" : uri[(at + 1)..].Split('#')[0];
    }

    // The view the address shows, if any: the same query once normalised, so a page number or parameter order does not hide it.
    private void FindActive()
    {
        string? query;
        try
        {
            query = SavedViews.NormalizeQuery(Admin, CurrentQuery());
        }
        catch (SavedViewException)
        {
            query = null;
        }

        active = query is null ? null : views.FirstOrDefault(v => SameParameters(v.Query, query));
    }

    // The list writes its parameters in its own order; a view is the same view in any order.
    private static bool SameParameters(string a, string b) =>
        a.Split('&').Order(StringComparer.Ordinal).SequenceEqual(b.Split('&').Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(() =>
    {
        FindActive();
        StateHasChanged();
    });

    private async Task LoadAsync()
    {
        try
        {
            var actor = await CurrentActor.GetAsync();
            await using var scope = ScopeFactory.CreateAsyncScope();
            views = await scope.ServiceProvider.GetRequiredService<SavedViews>().ForListAsync(Admin.Slug, actor, CancellationToken.None);
        }
        catch (AccessDeniedException)
        {
            // Someone the database no longer knows as a user of this list (disabled a moment ago): no views to offer,
            // and the list itself says what they may see.
            views = [];
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, "The saved views could not be read") is { } message)
        {
            views = [];
            error = message;
        }

        FindActive();
    }

    private void StartSave()
    {
        editing = Editing.Save;
        name = "";
        error = null;
    }

    private void StartRename()
    {
        editing = Editing.Rename;
        name = active?.Name ?? "";
        error = null;
    }

    private void CancelEdit()
    {
        editing = Editing.None;
        error = null;
    }

    private Task SubmitAsync()
    {
        var typed = name;
        var query = CurrentQuery();
        return editing == Editing.Save
            ? ActAsync((s, actor) => s.SaveAsync(Admin.Slug, typed, query, actor, CancellationToken.None), $"Saved the view \"{typed.Trim()}\".", "The view was not saved")
            : active is { } view
                ? ActAsync((s, actor) => s.RenameAsync(view.Id, typed, actor, CancellationToken.None), $"Renamed the view to \"{typed.Trim()}\".", "The view was not renamed")
                : Task.CompletedTask;
    }

    private async Task DeleteAsync()
    {
        if (active is not { } view)
        {
            return;
        }

        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Delete the view \"{view.Name}\"?",
            view.IsShared ? $"Everyone with the {view.SharedWithRole} role loses it too. The list stays as it is." : "The list stays as it is.",
            yesText: "Delete",
            cancelText: "Cancel");
        if (confirmed == true)
        {
            await ActAsync((s, actor) => s.DeleteAsync(view.Id, actor, CancellationToken.None), $"Deleted the view \"{view.Name}\".", "The view was not deleted");
        }
    }

    private Task ShareAsync(string? role)
    {
        if (active is not { } view)
        {
            return Task.CompletedTask;
        }

        var target = string.IsNullOrEmpty(role) ? null : role;
        return ActAsync(
            (s, actor) => s.ShareAsync(view.Id, target, actor, CancellationToken.None),
            target is null ? $"\"{view.Name}\" is yours only again." : $"\"{view.Name}\" is shared with {target}.",
            "The view's sharing did not change");
    }

    private Task SetDefaultAsync(bool isDefault)
    {
        if (active is not { SharedWithRole: { } role } view)
        {
            return Task.CompletedTask;
        }

        return ActAsync(
            (s, actor) => s.SetRoleDefaultAsync(view.Id, isDefault, actor, CancellationToken.None),
            isDefault ? $"{role} now opens this list on \"{view.Name}\"." : $"{role} opens this list as it is again.",
            "The role's default did not change");
    }

    // The service authorises with the actor as the database has it now, and the toolbar shows the views as stored after.
    private async Task ActAsync(Func<SavedViews, Actor, Task> act, string done, string notDone)
    {
        busy = true;
        error = null;
        try
        {
            var actor = await CurrentActor.GetAsync();
            await using (var scope = ScopeFactory.CreateAsyncScope())
            {
                await act(scope.ServiceProvider.GetRequiredService<SavedViews>(), actor);
            }

            editing = Editing.None;
            Snackbar.Add(done, Severity.Success);
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, notDone) is { } message)
        {
            // Shown beside the name when one is being typed, so the name stays to be corrected.
            error = message;
        }
        finally
        {
            busy = false;
        }

        await LoadAsync();
    }
}
