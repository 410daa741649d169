using System.Security.Claims;

namespace WorkflowAdmin.Admin;

/// <summary>
/// Every registered admin, in registration order (Django's <c>AdminSite._registry</c>). The navigation and the
/// generic <c>/admin/{slug}</c> route are built from it.
/// </summary>
public sealed class AdminRegistry
{
    private readonly Dictionary<string, EntityAdmin> bySlug = new(StringComparer.Ordinal);

    public AdminRegistry(IEnumerable<EntityAdmin> admins)
    {
        ArgumentNullException.ThrowIfNull(admins);
        var all = new List<EntityAdmin>();
        foreach (var admin in admins)
        {
            // Two lists on one URL would make one of them unreachable: refuse it at start-up, like AlreadyRegistered.
            if (!bySlug.TryAdd(admin.Slug, admin))
            {
                throw new InvalidOperationException(
                    $"Admin slug '{admin.Slug}' is registered twice ({bySlug[admin.Slug].GetType().Name} and {admin.GetType().Name}).");
            }

            all.Add(admin);
        }

        All = all;
    }

    public IReadOnlyList<EntityAdmin> All { get; }

    public EntityAdmin? Find(string slug) => bySlug.GetValueOrDefault(slug);

    public IReadOnlyList<EntityAdmin> VisibleTo(ClaimsPrincipal user) => All.Where(a => a.IsVisibleTo(user)).ToList();
}
