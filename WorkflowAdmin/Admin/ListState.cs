using System.Collections.Immutable;
using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace WorkflowAdmin.Admin;

/// <summary>
/// Everything that decides what a list shows, as it appears in the URL: <c>page</c> (from 1), <c>size</c>,
/// <c>sort</c> (a column key, <c>-</c> in front for descending), <c>q</c> (the search), <c>cols</c> (the columns
/// shown, as comma-separated column keys) and one parameter per filter key. Keeping it all in the query string makes a view shareable and lets the back button restore it.
/// </summary>
public sealed record ListState
{
    public const string PageKey = "page";
    public const string SizeKey = "size";
    public const string SortKey = "sort";
    public const string SearchKey = "q";
    public const string ColumnsKey = "cols";

    // The export's format parameter rides on the same query string, so no filter may take it either.
    public static IReadOnlyList<string> ReservedKeys { get; } = [PageKey, SizeKey, SortKey, SearchKey, ColumnsKey, ExportFormats.Key];

    public static ListState Empty { get; } = new();

    public int Page { get; init; } = 1;

    /// <summary>Null means the admin's first page size.</summary>
    public int? PageSize { get; init; }

    /// <summary>A column key, descending when it starts with '-'; null means the admin's default ordering.</summary>
    public string? Sort { get; init; }

    public string? Search { get; init; }

    /// <summary>
    /// The columns chosen for this view, as comma-separated column keys in the list's order; null means the viewer's
    /// own default (remembered per user) or else the admin's. Only known keys survive <see cref="FromUri"/>.
    /// </summary>
    public string? Columns { get; init; }

    public ImmutableSortedDictionary<string, string> Filters { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public bool HasSearchOrFilters => !string.IsNullOrWhiteSpace(Search) || !Filters.IsEmpty;

    public string? Filter(string key) => Filters.GetValueOrDefault(key);

    public ListState WithFilter(string key, string? value)
    {
        value = Clean(value);
        return this with
        {
            Filters = string.IsNullOrWhiteSpace(value) ? Filters.Remove(key) : Filters.SetItem(key, value.Trim()),
            Page = 1,
        };
    }

    public ListState WithSearch(string? search)
    {
        search = Clean(search);
        return this with { Search = string.IsNullOrWhiteSpace(search) ? null : search.Trim(), Page = 1 };
    }

    // Control characters match nothing a person typed, and PostgreSQL refuses U+0000 outright: a pasted or
    // hand-edited one is dropped rather than sent to the database.
    private static string? Clean(string? value) =>
        value is null || !value.Any(char.IsControl) ? value : new string(value.Where(c => !char.IsControl(c)).ToArray());

    public ListState Cleared() => this with { Search = null, Filters = Filters.Clear(), Page = 1 };

    /// <summary>
    /// Reads the state from a URL, keeping only what <paramref name="admin"/> understands: unknown parameters and
    /// values its filters cannot read are dropped rather than failing the page.
    /// </summary>
    public static ListState FromUri(string uri, EntityAdmin admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var queryStart = uri.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart < 0 ? new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>() : QueryHelpers.ParseQuery(uri[queryStart..]);
        string? Read(string key) => query.TryGetValue(key, out var values) && Clean(values.LastOrDefault()) is { Length: > 0 } value ? value : null;

        var filters = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var filter in admin.Filters)
        {
            foreach (var key in filter.Keys)
            {
                if (Read(key) is { } raw && filter.Normalize(key, raw) is { } value)
                {
                    filters[key] = value;
                }
            }
        }

        return new ListState
        {
            Page = int.TryParse(Read(PageKey), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1,
            PageSize = int.TryParse(Read(SizeKey), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0 ? size : null,
            Sort = Read(SortKey),
            Search = Read(SearchKey)?.Trim() is { Length: > 0 } search ? search : null,
            Columns = NormalizeColumns(Read(ColumnsKey), admin.ColumnKeys),
            Filters = filters.ToImmutable(),
        };
    }

    /// <summary>
    /// The known column keys of <paramref name="value"/> (comma-separated, any order, repeats allowed), in the list's
    /// order; null when none is known, so a hand-edited <c>cols=</c> never empties a list.
    /// </summary>
    public static string? NormalizeColumns(string? value, IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var asked = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var kept = known.Where(asked.Contains).ToList();
        return kept.Count == 0 ? null : string.Join(",", kept);
    }

    /// <summary>
    /// The parameters for <c>NavigationManager.GetUriWithQueryParameters</c>: every key the admin owns, with null
    /// for what is at its default, so stale parameters disappear from the URL.
    /// </summary>
    public IReadOnlyDictionary<string, object?> ToQueryParameters(EntityAdmin admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [PageKey] = Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null,
            [SizeKey] = PageSize?.ToString(CultureInfo.InvariantCulture),
            [SortKey] = Sort,
            [SearchKey] = Search,
            [ColumnsKey] = Columns,
        };
        foreach (var key in admin.Filters.SelectMany(f => f.Keys))
        {
            parameters[key] = Filters.GetValueOrDefault(key);
        }

        return parameters;
    }

    // Value equality through the canonical query string: the filter dictionary alone would compare by reference.
    public bool Equals(ListState? other) => other is not null && ToQueryString() == other.ToQueryString();

    public override int GetHashCode() => ToQueryString().GetHashCode(StringComparison.Ordinal);

    /// <summary>The same state in a canonical form, to tell whether a URL change means anything new.</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                parts.Add(Uri.EscapeDataString(key) + "=" + Uri.EscapeDataString(value));
            }
        }

        Add(PageKey, Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null);
        Add(SizeKey, PageSize?.ToString(CultureInfo.InvariantCulture));
        Add(SortKey, Sort);
        Add(SearchKey, Search);
        Add(ColumnsKey, Columns);
        foreach (var (key, value) in Filters)
        {
            Add(key, value);
        }

        return string.Join("&", parts);
    }
}
