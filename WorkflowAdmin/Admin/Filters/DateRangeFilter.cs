using System.Globalization;
using System.Text.RegularExpressions;

namespace WorkflowAdmin.Admin.Filters;

/// <summary>
/// A time window on one UTC date-time field, in two URL parameters: <c>from</c> (inclusive) and <c>to</c>
/// (exclusive), each an ISO 8601 date (<c>2026-03-02</c>), a UTC time (<c>2026-03-02T09:00:00Z</c>), or a time back
/// from now (<c>-24h</c>, <c>-7d</c>: hours or days). A relative value stays relative in the address and so in a
/// saved view: it is turned into a time by the admin's clock each time the query runs (decision 0042).
/// </summary>
public sealed partial class DateRangeFilter(string title, string fromKey, string toKey) : AdminFilter(title, [fromKey, toKey])
{
    /// <summary>The longest relative window: ten years, in hours or days. Longer is a date, not "the last …".</summary>
    public static readonly TimeSpan MaxRelative = TimeSpan.FromDays(3650);

    /// <summary>The windows the editor offers, most used first; any other <c>-N(h|d)</c> works in the address.</summary>
    public static IReadOnlyList<(string Value, string Label)> RelativePresets { get; } =
    [
        ("-1h", "Last hour"),
        ("-24h", "Last 24 hours"),
        ("-7d", "Last 7 days"),
        ("-30d", "Last 30 days"),
    ];

    public string FromKey { get; } = fromKey;

    public string ToKey { get; } = toKey;

    public override Type EditorType => typeof(DateRangeFilterEditor);

    public override string ValueHint => "a date (2026-03-02), a UTC time (2026-03-02T09:00:00Z) or a time back from now (-24h, -7d)";

    /// <summary>An absolute date or time; null for anything else, a relative value included.</summary>
    public static DateTime? Parse(string? value) =>
        value is not null && !value.StartsWith('-')
        && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? DateTime.SpecifyKind(parsed, DateTimeKind.Utc)
            : null;

    /// <summary>How far back a relative value (<c>-24h</c>, <c>-7d</c>) reaches; null when it is not one.</summary>
    public static TimeSpan? ParseRelative(string? value)
    {
        if (value is null || RelativePattern().Match(value.Trim()) is not { Success: true } match
            || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        var back = match.Groups["unit"].Value.Equals("d", StringComparison.OrdinalIgnoreCase) ? TimeSpan.FromDays(n) : TimeSpan.FromHours(n);
        return back <= MaxRelative ? back : null;
    }

    /// <summary>The instant a value stands for at <paramref name="now"/>: a date or time as it is, a relative value back from now.</summary>
    public static DateTime? Resolve(string? value, DateTime now) =>
        ParseRelative(value) is { } back ? now - back : Parse(value);

    /// <summary>Whole days print as dates, other instants as UTC times, so hand-written and generated URLs look alike.</summary>
    public static string Format(DateTime utc) => utc.TimeOfDay == TimeSpan.Zero
        ? utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"Last 24 hours", "Last 3 days": how the editor names a relative value.</summary>
    public static string DescribeRelative(string value)
    {
        if (RelativePresets.FirstOrDefault(p => p.Value == value) is { Label: { } label })
        {
            return label;
        }

        var back = ParseRelative(value) ?? throw new ArgumentException($"\"{value}\" is not a relative time.", nameof(value));
        return back.TotalHours % 24 == 0 && back >= TimeSpan.FromDays(1)
            ? string.Create(CultureInfo.InvariantCulture, $"Last {(int)back.TotalDays} days")
            : string.Create(CultureInfo.InvariantCulture, $"Last {(int)back.TotalHours} hours");
    }

    // A relative value keeps the unit it was written in, so "-48h" is not silently turned into "-2d"; only its case
    // and leading zeros are made canonical.
    public override string? Normalize(string key, string raw)
    {
        if (ParseRelative(raw) is { } back)
        {
            return raw.Trim().EndsWith('d') || raw.Trim().EndsWith('D')
                ? string.Create(CultureInfo.InvariantCulture, $"-{(int)back.TotalDays}d")
                : string.Create(CultureInfo.InvariantCulture, $"-{(int)back.TotalHours}h");
        }

        return Parse(raw) is { } value ? Format(value) : null;
    }

    [GeneratedRegex(@"^-(?<n>[0-9]{1,6})(?<unit>[hdHD])$", RegexOptions.CultureInvariant)]
    private static partial Regex RelativePattern();
}
