using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.ApiKeys;

public sealed partial class ApiKeyDetailPage
{
    private ApiKeyDetails? key;
    private bool loading = true;
    private bool busy;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    private string ExecutionsLink => $"/executions?by={Uri.EscapeDataString(key!.Name)}&source=Api";

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        loading = true;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == Id).Select(k => new ApiKeyDetails(
                k.Id, k.Name, k.Prefix, k.Scopes, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt, k.RevokedBy)).SingleOrDefaultAsync();
        }
        finally
        {
            loading = false;
        }
    }

    private async Task RevokeAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Revoke {key!.Name}?",
            $"Requests with this key are refused from now on, and the key cannot be restored: {key.Name} needs a new key to call the API again. " +
            "Executions it started are not affected.",
            yesText: "Revoke",
            cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        busy = true;
        try
        {
            var actor = await CurrentActor.GetAsync();
            await using var scope = ScopeFactory.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(Id, actor, CancellationToken.None);
            Snackbar.Add($"{key.Name} is revoked.", Severity.Success);
        }
        catch (InvalidOperationException ex)
        {
            // Revoked by someone else while this page was open.
            Snackbar.Add($"The key was not revoked: {ex.Message}", Severity.Error);
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, "The key was not revoked") is { } message)
        {
            Snackbar.Add(message, Severity.Error);
        }
        finally
        {
            busy = false;
        }

        await LoadAsync();
    }

    private sealed record ApiKeyDetails(
        Guid Id, string Name, string Prefix, string Scopes, DateTime CreatedAt, string CreatedBy, DateTime? LastUsedAt, DateTime? RevokedAt, string? RevokedBy)
    {
        public bool IsRevoked => RevokedAt is not null;
    }
}
