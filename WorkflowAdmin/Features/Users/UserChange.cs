using Microsoft.AspNetCore.Identity;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Features.Users;

/// <summary>The outcome of a change to a user: success, or every problem, each tied to the input it concerns.</summary>
public sealed record UserChange(bool Succeeded, IReadOnlyList<UserProblem> Problems, ApplicationUser? User = null)
{
    public IReadOnlyList<string> Errors => Problems.Select(p => p.Message).ToList();

    public static UserChange Failed(string error, UserField field = UserField.None) => new(false, [new UserProblem(field, error)]);

    public static UserChange From(IdentityResult result, ApplicationUser? user = null)
    {
        ArgumentNullException.ThrowIfNull(result);

        // The user name is the email, so Identity reports a taken address twice; keep the wording about the email.
        var errors = result.Errors.ToList();
        if (errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail)))
        {
            errors.RemoveAll(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName));
        }

        return new(result.Succeeded, errors.Select(UserProblem.From).ToList(), user);
    }
}

/// <summary>One reason a change was refused; <see cref="Field"/> lets a form show it next to the input at fault.</summary>
public sealed record UserProblem(UserField Field, string Message)
{
    // Identity reports problems by code; its password rules all start with "Password", and the user name is the email.
    internal static UserProblem From(IdentityError error) => new(
        error.Code switch
        {
            _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => UserField.Password,
            nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.DuplicateEmail)
                or nameof(IdentityErrorDescriber.InvalidUserName) or nameof(IdentityErrorDescriber.DuplicateUserName) => UserField.Email,
            _ => UserField.None,
        },
        error.Description);
}

public enum UserField
{
    None,
    Email,
    DisplayName,
    Role,
    Password,
    Workflows,
}
