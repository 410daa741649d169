namespace WorkflowAdmin.Admin.Filters;

/// <summary>
/// A list filter as the page and the URL see it: a title, the URL parameter(s) it owns, and the editor component
/// that changes them. How it narrows the query is bound, typed, on <see cref="EntityAdmin{TRow}"/>.
/// </summary>
public abstract class AdminFilter
{
    protected AdminFilter(string title, IReadOnlyList<string> keys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
        Keys = keys;
    }

    public string Title { get; }

    /// <summary>The URL parameters this filter reads; most own one, a date range owns two.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>A razor component with the parameters <c>Filter</c>, <c>State</c> and <c>StateChanged</c>.</summary>
    public abstract Type EditorType { get; }

    /// <summary>The canonical form of a URL value, or null when the filter cannot read it (so it is ignored).</summary>
    public abstract string? Normalize(string key, string raw);

    /// <summary>What the filter reads, in words, for the refusal of a value it cannot read; null when the options say it.</summary>
    public virtual string? ValueHint => null;
}
