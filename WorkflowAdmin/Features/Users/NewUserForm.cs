using System.ComponentModel.DataAnnotations;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Features.Users;

/// <summary>
/// What the New user form holds between submits. Only presence and the repeated password are checked here; every
/// account rule (email format and uniqueness, password policy, known role) is <see cref="UserAccounts"/>' to judge.
/// </summary>
internal sealed class NewUserForm
{
    [Required(ErrorMessage = "An email address is required.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "A display name is required.")]
    public string DisplayName { get; set; } = "";

    // The least privileged role, so a slip of the hand does not make an administrator.
    [Required(ErrorMessage = "Choose a role.")]
    public string Role { get; set; } = Roles.Support;

    [Required(ErrorMessage = "A password is required.")]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "The two passwords differ.")]
    public string ConfirmPassword { get; set; } = "";
}
