using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace WorkflowAdmin.Features.Users;

/// <summary>
/// Asks for the new password twice and is itself the confirmation of the reset. It runs the reset it is given and
/// stays open on a refusal (a password Identity rejects), so the admin can correct it without starting over.
/// </summary>
public sealed partial class ResetPasswordDialog : IDisposable
{
    private readonly PasswordForm form = new();
    private readonly List<string> generalErrors = [];
    private EditContext editContext = null!;
    private ValidationMessageStore serverErrors = null!;
    private bool saving;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = null!;

    [Parameter]
    [EditorRequired]
    public string Email { get; set; } = "";

    /// <summary>Resets the password to the given one; the dialog closes when it succeeds.</summary>
    [Parameter]
    [EditorRequired]
    public Func<string, Task<UserChange>> Reset { get; set; } = null!;

    [Inject]
    private IOptions<IdentityOptions> IdentityOptions { get; set; } = null!;

    private string PasswordHelp => $"At least {IdentityOptions.Value.Password.RequiredLength} characters.";

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

    private async Task ResetAsync()
    {
        serverErrors.Clear();
        generalErrors.Clear();
        saving = true;
        try
        {
            var result = await Reset(form.Password);
            if (result.Succeeded)
            {
                Dialog.Close(DialogResult.Ok(true));
                return;
            }

            foreach (var problem in result.Problems)
            {
                if (problem.Field == UserField.Password)
                {
                    serverErrors.Add(() => form.Password, problem.Message);
                }
                else
                {
                    generalErrors.Add(problem.Message);
                }
            }

            editContext.NotifyValidationStateChanged();
        }
        finally
        {
            saving = false;
        }
    }

    private void ForgetServerError(object? sender, FieldChangedEventArgs e)
    {
        serverErrors.Clear(e.FieldIdentifier);
        editContext.NotifyValidationStateChanged();
    }

    private sealed class PasswordForm
    {
        [Required(ErrorMessage = "A new password is required.")]
        public string Password { get; set; } = "";

        [Compare(nameof(Password), ErrorMessage = "The two passwords differ.")]
        public string ConfirmPassword { get; set; } = "";
    }
}
