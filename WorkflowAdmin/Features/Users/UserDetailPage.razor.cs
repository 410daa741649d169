using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Engine;

using WorkflowAdmin.Features.Executions;

namespace WorkflowAdmin.Features.Users;

public sealed partial class UserDetailPage
{
    private UserAdministration administration = null!;
    private UserDetails? user;
    private string? selectedRole;
    private IReadOnlyList<string> workflows = [];
    private IReadOnlyCollection<string> selectedWorkflows = [];
    private bool loading = true;
    private bool denied;
    private bool busy;

    [Parameter]
    public string Id { get; set; } = "";

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = null!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private WorkflowAdmin.Security.CircuitClient Client { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private TimeProvider Clock { get; set; } = null!;

    [Inject]
    private WorkflowRegistry Registry { get; set; } = null!;

    private bool WorkflowsUnchanged => selectedWorkflows.Order(StringComparer.Ordinal).SequenceEqual(workflows);

    protected override void OnInitialized() => administration = new UserAdministration(Authentication, ScopeFactory, Client);

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        loading = true;
        try
        {
            user = await administration.FindAsync(Id);
            selectedRole = user?.Role;
            workflows = user is null ? [] : await administration.FindWorkflowsAsync(Id);
            selectedWorkflows = [.. workflows];
        }
        catch (UnauthorizedAccessException)
        {
            denied = true;
            user = null;
        }
        finally
        {
            loading = false;
        }
    }

    private Task ChangeRoleAsync() =>
        selectedRole is { } role
            ? RunAsync(() => administration.SetRoleAsync(Id, role), $"{user!.Email} is now {role}.")
            : Task.CompletedTask;

    private Task ChangeWorkflowsAsync()
    {
        var keys = selectedWorkflows.ToList();
        return RunAsync(
            () => administration.SetWorkflowsAsync(Id, keys),
            keys.Count == 0 ? $"{user!.Email} may use every workflow." : $"{user!.Email} may use only {string.Join(", ", keys.Order(StringComparer.Ordinal))}.");
    }

    private async Task DisableAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Disable this user?",
            $"{user!.Email} will not be able to sign in, and any open session ends within a minute. You can enable the account again later.",
            yesText: "Disable",
            cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(() => administration.SetDisabledAsync(Id, disabled: true), $"{user.Email} is disabled.");
        }
    }

    private Task EnableAsync() => RunAsync(() => administration.SetDisabledAsync(Id, disabled: false), $"{user!.Email} is enabled.");

    private async Task ResetPasswordAsync()
    {
        var parameters = new DialogParameters<ResetPasswordDialog>
        {
            { d => d.Email, user!.Email },
            { d => d.Reset, password => administration.ResetPasswordAsync(Id, password) },
        };
        var dialog = await Dialogs.ShowAsync<ResetPasswordDialog>("Reset password", parameters);
        var result = await dialog.Result;
        if (result is { Canceled: false })
        {
            Snackbar.Add($"The password of {user.Email} was reset.", Severity.Success);
            await LoadAsync();
        }
    }

    // Every change reports to the snackbar, then the page shows the user as the database now has them.
    private async Task RunAsync(Func<Task<UserChange>> change, string success)
    {
        busy = true;
        try
        {
            var result = await change();
            if (result.Succeeded)
            {
                Snackbar.Add(success, Severity.Success);
            }
            else
            {
                Snackbar.Add(string.Join(" ", result.Errors), Severity.Error);
            }

            await LoadAsync();
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, "The change was not saved") is { } message)
        {
            Snackbar.Add(message, Severity.Error);
        }
        finally
        {
            busy = false;
        }
    }

    private string LockoutText(DateTimeOffset? end) =>
        end is { } until && until > Clock.GetUtcNow() ? Time(until.UtcDateTime) : "not locked out";

    private static string Time(DateTime utc) => DetailFormat.Utc(utc);
}
