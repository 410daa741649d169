namespace WorkflowAdmin.Hosting;

/// <summary>
/// Addresses the console used before its screens moved to one scheme (README, "Addresses"): bookmarks and links in
/// mails and tickets still arrive, so each old address answers with a permanent redirect to its new one, query
/// string kept. Lists at <c>/admin/{slug}</c> that have an address of their own redirect in <c>AdminListPage</c>.
/// </summary>
internal static class MovedAddresses
{
    private static readonly (string From, string To)[] Moved =
    [
        ("/admin/users", "/users"),
        ("/admin/api-keys", "/api-keys"),
    ];

    public static IEndpointRouteBuilder MapMovedAddresses(this IEndpointRouteBuilder endpoints)
    {
        foreach (var (from, to) in Moved)
        {
            endpoints.MapGet(from + "/{**rest}", (string? rest, HttpRequest request) =>
                    Results.Redirect(to + (string.IsNullOrEmpty(rest) ? "" : "/" + rest) + request.QueryString, permanent: true))
                .ExcludeFromDescription();
        }

        return endpoints;
    }
}
