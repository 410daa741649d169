using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Features.Users;

/// <summary>The console's users (<c>/users</c>), for administrators only.</summary>
public sealed class UsersAdmin : EntityAdmin<UserRow>
{
    public const string SlugValue = "users";

    public UsersAdmin()
        : base("Users", SlugValue)
    {
        Href = "/users";
        Roles = Domain.Identity.Roles.Admin;
        NavGroup = NavGroups.Administration;
        Icon = Icons.Material.Filled.People;
        Noun = "users";
        RowLink = r => $"/users/{Uri.EscapeDataString(r.Id)}";
        CreateLink("/users/new", "New user", Domain.Identity.Roles.Admin);

        Column("Email", r => r.Email);
        Column("Name", r => r.DisplayName);
        Column("Roles", r => r.Roles).SortableWhen(false);
        Column("Disabled", r => r.IsDisabled);

        // Identity stores lockout ends as DateTimeOffset, which SQLite cannot compare in SQL: shown, not sorted.
        Column("Locked out until", r => r.LockedOutUntil).WithClass("nowrap").SortableWhen(false);
        Column("Created", r => r.CreatedAt).WithClass("nowrap");

        FilterByBool("Disabled", r => r.IsDisabled, "disabled", yes: "Disabled", no: "Active");
        SearchOn("email", r => r.Email);
        SearchOn("name", r => r.DisplayName);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<UserRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Users.Select(u => new UserRow
        {
            Id = u.Id,
            Email = u.Email ?? u.UserName ?? "",
            DisplayName = u.DisplayName,
            Roles = (from ur in db.UserRoles
                     join r in db.Roles on ur.RoleId equals r.Id
                     where ur.UserId == u.Id
                     orderby r.Name
                     select r.Name!).ToList(),
            IsDisabled = u.IsDisabled,
            LockedOutUntil = u.LockoutEnd,
            CreatedAt = u.CreatedAt,
        });
    }
}

public sealed record UserRow
{
    public required string Id { get; init; }

    public required string Email { get; init; }

    public required string DisplayName { get; init; }

    public required IReadOnlyList<string> Roles { get; init; }

    public required bool IsDisabled { get; init; }

    public DateTimeOffset? LockedOutUntil { get; init; }

    public required DateTime CreatedAt { get; init; }
}
