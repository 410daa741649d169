using Microsoft.AspNetCore.Identity;

namespace WorkflowAdmin.Domain.Identity;

/// <summary>A console user: support staff, an administrator or an auditor (see <see cref="Roles"/>).</summary>
public sealed class ApplicationUser : IdentityUser
{
    public const int MaxDisplayNameLength = 100;

    public string DisplayName { get; set; } = "";

    /// <summary>A disabled user cannot sign in, and loses an open session within a minute (security stamp revalidation).</summary>
    public bool IsDisabled { get; set; }

    public bool PrefersDarkMode { get; set; }

    public DateTime CreatedAt { get; set; }
}
