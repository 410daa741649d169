namespace WorkflowAdmin.Admin.Filters;

/// <summary>
/// Pick one or several of a fixed set of values (an enum, yes/no, or an admin's own lookups, like Django's
/// <c>SimpleListFilter.lookups()</c>). Several values are comma-separated in the URL: <c>status=Failed,Running</c>.
/// </summary>
public sealed class ChoiceFilter : AdminFilter
{
    public ChoiceFilter(string title, string key, IReadOnlyList<FilterOption> options, bool multiple)
        : base(title, [key])
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count == 0 || options.Any(o => o.Value.Contains(',', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Filter '{key}' needs options, and no option value may contain a comma.", nameof(options));
        }

        Key = key;
        Options = options;
        Multiple = multiple;
    }

    public string Key { get; }

    public IReadOnlyList<FilterOption> Options { get; }

    public bool Multiple { get; }

    public override Type EditorType => typeof(ChoiceFilterEditor);

    /// <summary>The known values in <paramref name="value"/>, in option order; unknown ones are dropped.</summary>
    public IReadOnlyList<string> Selected(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return [];
        }

        var requested = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var selected = Options.Select(o => o.Value).Where(v => requested.Contains(v, StringComparer.Ordinal)).ToList();
        return Multiple ? selected : selected.Take(1).ToList();
    }

    public static string? Join(IEnumerable<string> values)
    {
        var joined = string.Join(",", values);
        return joined.Length == 0 ? null : joined;
    }

    public override string? Normalize(string key, string raw) => Join(Selected(raw));
}
