using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Admin;

/// <summary>
/// What the registry, the navigation and the generic route need to know about an admin, whatever its row type:
/// its name, where it lives, who may see it, and how to render and query its list. The declarations themselves
/// (columns, filters, search) are typed, on <see cref="EntityAdmin{TRow}"/>.
/// </summary>
public abstract partial class EntityAdmin : Views.IViewList
{
    /// <summary>The console's shared cap: counts stop here and show "10,000+" until someone asks for the exact number.</summary>
    public const int CountCap = 10_000;

    /// <summary>
    /// The deepest row a page may start at. An offset makes the database step over every row before it, so a page
    /// a million rows deep is a full scan; past this depth the pager stops, and older rows are reached by sorting the
    /// other way or filtering (decision 0014).
    /// </summary>
    public const int MaxOffset = 10_000;

    /// <summary>The deepest page of <paramref name="size"/> rows a list serves.</summary>
    public static int MaxPage(int size) => (MaxOffset / Math.Max(1, size)) + 1;

    private string roles = Domain.Identity.Roles.Readers;

    protected EntityAdmin(string title, string slug)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        if (!SlugPattern().IsMatch(slug))
        {
            throw new ArgumentException($"Admin slug '{slug}' must be lowercase kebab-case: it is a URL segment.", nameof(slug));
        }

        Title = title;
        Slug = slug;
        Href = "/admin/" + slug;
    }

    public string Title { get; }

    /// <summary>
    /// The clock relative filter values (<c>from=-24h</c>) are read against when a query runs: the host's
    /// <see cref="TimeProvider"/>, set when the admin is registered (<see cref="AdminServiceCollectionExtensions.AddEntityAdmin{TAdmin}"/>).
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public string Slug { get; }

    /// <summary>Where the list lives: <c>/admin/{slug}</c> unless a feature gives it a shorter route of its own.</summary>
    public string Href { get; protected init; }

    /// <summary>Comma-separated roles that may see the list, as in <c>[Authorize(Roles = ...)]</c>.</summary>
    public string Roles
    {
        get => roles;
        protected init => roles = CheckRoles(value);
    }

    public string Icon { get; protected init; } = Icons.Material.Filled.TableRows;

    /// <summary>The navigation group the list appears under; null puts it at the top level.</summary>
    public string? NavGroup { get; protected init; }

    /// <summary>What the list is of, in the plural and lower case, for sentences such as "No customers yet".</summary>
    public string Noun { get; protected init; } = "records";

    public AdminCreateLink? Create { get; private set; }

    /// <summary>
    /// Whether the list follows its records as they change (see <see cref="EntityAdmin{TRow}.Follow"/>): its rows and
    /// counts reload by themselves when a change can affect them. The default is a list that shows what it read.
    /// </summary>
    public virtual bool IsLive => false;

    /// <summary>A download of the whole filtered list (not one page), served by an endpoint of the feature's own.</summary>
    public AdminExportLink? Export { get; private set; }

    public bool IsVisibleTo(ClaimsPrincipal user) => IsInAnyRole(user, Roles);

    /// <summary>Whether <paramref name="actor"/>, with the roles the database gives it now, may read the list.</summary>
    public bool IsVisibleTo(Domain.Security.Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Kind == Domain.Security.ActorKind.User
            && Roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(actor.Roles.Contains);
    }

    public bool CanCreate(ClaimsPrincipal user) => Create is { } create && IsVisibleTo(user) && IsInAnyRole(user, create.Roles);

    public bool CanExport(ClaimsPrincipal user) => Export is { } export && IsVisibleTo(user) && IsInAnyRole(user, export.Roles);

    /// <summary>
    /// The export's address for the list as <paramref name="state"/> shows it: the same search, filters and sort,
    /// without the page, so the file holds every matching row. The endpoint reads it back with <see cref="ListState.FromUri"/>.
    /// </summary>
    public string ExportHref(ListState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var export = Export ?? throw new InvalidOperationException($"{GetType().Name} declares no export.");
        var query = (state with { Page = 1, PageSize = null }).ToQueryString();
        return query.Length == 0 ? export.Href : $"{export.Href}?{query}";
    }

    /// <summary>
    /// Runs the list's own query for <paramref name="state"/> without the UI: one page of rows and the capped count.
    /// The configuration checks and the benchmark use it, so they exercise exactly what the page runs.
    /// </summary>
    public abstract Task<AdminListResult> LoadAsync(AppDbContext db, ListState state, CancellationToken cancellationToken);

    /// <summary>The keys of the list's columns, in order: what <c>cols=</c> may name.</summary>
    public abstract IReadOnlyList<string> ColumnKeys { get; }

    /// <summary>The exported columns for <paramref name="state"/>: those on screen (its <c>cols</c>), in order.</summary>
    public abstract IReadOnlyList<ExportField> ExportFieldsFor(ListState state);

    /// <summary>Every matching row as exported values (<see cref="ExportFieldsFor"/>), batch by batch, in the list's order.</summary>
    public abstract IAsyncEnumerable<IReadOnlyList<IReadOnlyList<object?>>> ExportAsync(
        AppDbContext db, ListState state, int batchSize, CancellationToken cancellationToken);

    /// <summary>
    /// Where the list's own download lives (<c>{Href}/export</c>), unless the feature serves a download of its own
    /// (<see cref="Export"/>). Every list has one, for the roles that see it.
    /// </summary>
    public string? ListExportPath => Export is null ? Href + "/export" : null;

    /// <summary>The list's download of everything <paramref name="state"/> selects, in <paramref name="format"/>.</summary>
    public string ListExportHref(ListState state, ExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(state);
        var path = ListExportPath ?? throw new InvalidOperationException($"{GetType().Name} serves its own export.");
        var query = (state with { Page = 1, PageSize = null }).ToQueryString();
        var formatParameter = ExportFormats.Key + "=" + ExportFormats.Name(format);
        return $"{path}?{(query.Length == 0 ? formatParameter : query + "&" + formatParameter)}";
    }

    /// <summary>The keys of the columns the list can be sorted by (the <c>sort</c> parameter, without its '-').</summary>
    public abstract IReadOnlyList<string> SortKeys { get; }

    /// <summary>The URL parameters every filter of this admin reads; the list state keeps only these and its own.</summary>
    public abstract IReadOnlyList<AdminFilter> Filters { get; }

    /// <summary>The list page; <paramref name="headerContent"/> is a feature's own addition below the title (a panel, a notice).</summary>
    internal abstract RenderFragment RenderList(RenderFragment? headerContent = null);

    protected void CreateLink(string href, string label, string roles = Domain.Identity.Roles.Admin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(href);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        Create = new AdminCreateLink(href, label, CheckRoles(roles));
    }

    /// <summary>Offers <paramref name="href"/> (a GET endpoint that authorises on its own) as a download of the filtered list.</summary>
    protected void ExportLink(string href, string label, string roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(href);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        if (href.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException("The export link gets the list's query string; give it without one.", nameof(href));
        }

        Export = new AdminExportLink(href, label, CheckRoles(roles));
    }

    private static bool IsInAnyRole(ClaimsPrincipal user, string roles)
    {
        ArgumentNullException.ThrowIfNull(user);
        return roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(user.IsInRole);
    }

    // A typo in a role name would hide a list from everyone, silently; refuse it when the admin is built.
    private protected static string CheckRoles(string value)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = names.Where(n => !Domain.Identity.Roles.All.Contains(n)).ToList();
        if (names.Length == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown role(s) '{string.Join(", ", unknown)}'. Roles: {string.Join(", ", Domain.Identity.Roles.All)}.", nameof(value));
        }

        return string.Join(",", names);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}

/// <summary>A "create" button on a list, shown only to <paramref name="Roles"/> (comma-separated).</summary>
public sealed record AdminCreateLink(string Href, string Label, string Roles);

/// <summary>An "export" button on a list, shown only to <paramref name="Roles"/> (comma-separated).</summary>
public sealed record AdminExportLink(string Href, string Label, string Roles);

/// <summary>One page of rows as the list shows it, untyped for the checks and the benchmark.</summary>
public sealed record AdminListResult(IReadOnlyList<object> Rows, ListCount Count);
