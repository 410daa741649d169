using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using MudBlazor;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.ApiKeys;

/// <summary>
/// Issues a key and then shows its secret, once: the secret lives only in this component until the admin leaves
/// the page, and the database holds only its hash.
/// </summary>
public sealed partial class CreateApiKeyPage : IDisposable
{
    private readonly NewApiKeyForm form = new();
    private EditContext editContext = null!;
    private ValidationMessageStore serverErrors = null!;
    private IssuedApiKey? issued;
    private bool saving;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    [Inject]
    private IJSRuntime JS { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    public void Dispose()
    {
        if (editContext is not null)
        {
            editContext.OnFieldChanged -= ForgetServerError;
        }
    }

    protected override void OnInitialized()
    {
        editContext = new EditContext(form);
        serverErrors = new ValidationMessageStore(editContext);
        editContext.OnFieldChanged += ForgetServerError;
    }

    private async Task CreateAsync()
    {
        serverErrors.Clear();
        saving = true;
        try
        {
            var actor = await CurrentActor.GetAsync();
            await using var scope = ScopeFactory.CreateAsyncScope();
            issued = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
                .IssueAsync(form.Name, form.SelectedScopes, form.Trigger ? form.TriggerWorkflows : [], actor, CancellationToken.None);
        }
        catch (InputValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                serverErrors.Add(error.Path is "scopes" or "triggerWorkflows" ? editContext.Field(nameof(NewApiKeyForm.Scopes)) : editContext.Field(nameof(NewApiKeyForm.Name)), $"The {error.Path} {error.Message}.");
            }

            editContext.NotifyValidationStateChanged();
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, "The key was not created") is { } message)
        {
            Snackbar.Add(message, Severity.Error);
        }
        finally
        {
            saving = false;
        }
    }

    private async Task CopySecretAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("workflowAdmin.copyText", issued!.Secret);
            Snackbar.Add("The secret is on the clipboard.", Severity.Success);
        }
        catch (JSException)
        {
            Snackbar.Add("The browser refused the clipboard; select the secret and copy it by hand.", Severity.Warning);
        }
    }

    private void ForgetServerError(object? sender, FieldChangedEventArgs e)
    {
        serverErrors.Clear(e.FieldIdentifier);
        if (e.FieldIdentifier.FieldName is nameof(NewApiKeyForm.Trigger) or nameof(NewApiKeyForm.Read))
        {
            serverErrors.Clear(editContext.Field(nameof(NewApiKeyForm.Scopes)));
        }

        editContext.NotifyValidationStateChanged();
    }

    private static string ScopeText(IReadOnlyList<ApiScope> scopes) => ApiScopes.Format(scopes);
}
