using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MudBlazor;
using WorkflowAdmin.Components.Shared;

namespace WorkflowAdmin.Features.Users;

public sealed partial class CreateUserPage : IDisposable
{
    private readonly NewUserForm model = new();
    private readonly List<string> generalErrors = [];
    private EditContext editContext = null!;
    private ValidationMessageStore serverErrors = null!;
    private UserAdministration administration = null!;
    private bool? allowed;
    private bool saving;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = null!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private WorkflowAdmin.Security.CircuitClient Client { get; set; } = null!;

    [Inject]
    private IOptions<IdentityOptions> IdentityOptions { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    // Shown from Identity's own options, so the hint cannot drift from the rule that is enforced.
    private string PasswordHelp => $"At least {IdentityOptions.Value.Password.RequiredLength} characters.";

    public void Dispose()
    {
        if (editContext is not null)
        {
            editContext.OnFieldChanged -= ForgetServerError;
        }
    }

    protected override async Task OnInitializedAsync()
    {
        editContext = new EditContext(model);
        serverErrors = new ValidationMessageStore(editContext);
        editContext.OnFieldChanged += ForgetServerError;
        administration = new UserAdministration(Authentication, ScopeFactory, Client);
        allowed = await administration.CanManageUsersAsync();
    }

    private async Task CreateAsync()
    {
        serverErrors.Clear();
        generalErrors.Clear();
        saving = true;
        try
        {
            var email = model.Email.Trim();
            var result = await administration.CreateAsync(email, model.DisplayName, model.Role, model.Password);
            if (result is { Succeeded: true, User: { } user })
            {
                Snackbar.Add($"Created {model.Role} user {email}.", Severity.Success);
                Navigation.NavigateTo($"/users/{user.Id}");
                return;
            }

            ShowProblems(result.Problems);
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, "The user was not created") is { } message)
        {
            Snackbar.Add(message, Severity.Error);
        }
        finally
        {
            saving = false;
        }
    }

    // Each problem goes next to the field it concerns; the form keeps every value so only that field needs fixing.
    private void ShowProblems(IEnumerable<UserProblem> problems)
    {
        foreach (var problem in problems)
        {
            switch (problem.Field)
            {
                case UserField.Email:
                    serverErrors.Add(() => model.Email, problem.Message);
                    break;
                case UserField.DisplayName:
                    serverErrors.Add(() => model.DisplayName, problem.Message);
                    break;
                case UserField.Role:
                    serverErrors.Add(() => model.Role, problem.Message);
                    break;
                case UserField.Password:
                    serverErrors.Add(() => model.Password, problem.Message);
                    break;
                default:
                    generalErrors.Add(problem.Message);
                    break;
            }
        }

        editContext.NotifyValidationStateChanged();
    }

    private void ForgetServerError(object? sender, FieldChangedEventArgs e)
    {
        serverErrors.Clear(e.FieldIdentifier);
        editContext.NotifyValidationStateChanged();
    }
}
