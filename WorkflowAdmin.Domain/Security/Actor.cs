using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Security;

/// <summary>
/// The caller of a domain action, built once at the edge (a console circuit, an API request, a background job)
/// and passed in explicitly. Services authorise against it with <see cref="Demand"/>, so a hidden button is never
/// the only thing between a role and an action; the audit trail records it.
/// </summary>
public sealed record Actor
{
    public const int MaxNameLength = 256;

    private Actor(string name, ActorKind kind, IReadOnlyList<string> roles, IReadOnlySet<Permission> permissions)
    {
        Name = name;
        Kind = kind;
        Roles = roles;
        Granted = permissions;
    }

    /// <summary>A user's email, an API key's name, or "system".</summary>
    public string Name { get; }

    public ActorKind Kind { get; }

    /// <summary>A user's roles, or an API key's scopes (as "scope:trigger").</summary>
    public IReadOnlyList<string> Roles { get; }

    public IReadOnlySet<Permission> Granted { get; }

    /// <summary>The console user's id (for user actions) or the API key's id.</summary>
    public string? Id { get; init; }

    public string? ClientIp { get; init; }

    public string? CorrelationId { get; init; }

    public bool IsAuthenticated => Kind != ActorKind.Anonymous;

    /// <summary>
    /// The workflows this actor may start, re-run and cancel executions of; null means every workflow. Reading
    /// executions is never limited by it.
    /// </summary>
    public IReadOnlySet<string>? Workflows { get; private init; }

    public static Actor Anonymous { get; } = new("anonymous", ActorKind.Anonymous, [], new HashSet<Permission>());

    /// <summary>The application acting on its own (demo data, recovery); it may do anything an admin may.</summary>
    public static Actor System { get; } = new("system", ActorKind.System, [], Permissions.ForRoles([Identity.Roles.Admin]));

    /// <summary>Someone not signed in who gave a name (a failed sign-in): recorded as given, trusted with nothing.</summary>
    public static Actor Unverified(string claimedName) =>
        new(Limit(string.IsNullOrWhiteSpace(claimedName) ? "anonymous" : claimedName.Trim()), ActorKind.Anonymous, [], new HashSet<Permission>());

    public static Actor ForUser(string name, IEnumerable<string> roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(roles);
        var list = roles.Where(r => Identity.Roles.All.Contains(r)).Order(StringComparer.Ordinal).ToArray();
        return new Actor(Limit(name), ActorKind.User, list, Permissions.ForRoles(list));
    }

    public static Actor ForApiKey(string name, IEnumerable<ApiScope> scopes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(scopes);
        var list = scopes.Distinct().Order().ToArray();
        return new Actor(Limit(name), ActorKind.ApiKey, [.. list.Select(s => "scope:" + ApiScopes.Name(s))], Permissions.ForScopes(list));
    }

    public bool Can(Permission permission) => Granted.Contains(permission);

    /// <summary>The permission, for executions of <paramref name="workflowKey"/> (see <see cref="Workflows"/>).</summary>
    public bool Can(Permission permission, string workflowKey) => Can(permission) && MayUse(workflowKey);

    public bool MayUse(string workflowKey) => Workflows is null || Workflows.Contains(workflowKey);

    /// <summary>This actor limited to <paramref name="workflowKeys"/>; null or empty lifts the limit.</summary>
    public Actor LimitedTo(IEnumerable<string>? workflowKeys)
    {
        var keys = workflowKeys?.ToHashSet(StringComparer.Ordinal);
        return this with { Workflows = keys is { Count: > 0 } ? keys : null };
    }

    /// <exception cref="AccessDeniedException">The actor lacks the permission.</exception>
    public void Demand(Permission permission)
    {
        if (!Can(permission))
        {
            throw new AccessDeniedException(this, permission);
        }
    }

    /// <exception cref="AccessDeniedException">The actor lacks the permission, or may not use the workflow.</exception>
    public void Demand(Permission permission, string workflowKey)
    {
        Demand(permission);
        if (!MayUse(workflowKey))
        {
            throw new AccessDeniedException(this, permission, workflowKey);
        }
    }

    /// <summary>How an execution this actor starts is labelled: its "triggered by" and its door.</summary>
    public Trigger ToTrigger() => new(Name, Kind switch
    {
        ActorKind.ApiKey => TriggerSource.Api,
        ActorKind.System => TriggerSource.System,
        _ => TriggerSource.Console,
    })
    {
        ActorId = Id,
    };

    public string RolesText => string.Join(",", Roles);

    private static string Limit(string name) => name.Length > MaxNameLength ? name[..MaxNameLength] : name;
}
