using System.Globalization;

namespace WorkflowAdmin.Admin.Filters;

/// <summary>
/// A time window on one UTC date-time field, in two URL parameters: <c>from</c> (inclusive) and <c>to</c>
/// (exclusive), each an ISO 8601 date (<c>2026-03-02</c>) or UTC time (<c>2026-03-02T09:00:00Z</c>).
/// </summary>
public sealed class DateRangeFilter(string title, string fromKey, string toKey) : AdminFilter(title, [fromKey, toKey])
{
    public string FromKey { get; } = fromKey;

    public string ToKey { get; } = toKey;

    public override Type EditorType => typeof(DateRangeFilterEditor);

    public static DateTime? Parse(string? value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? DateTime.SpecifyKind(parsed, DateTimeKind.Utc)
            : null;

    /// <summary>Whole days print as dates, other instants as UTC times, so hand-written and generated URLs look alike.</summary>
    public static string Format(DateTime utc) => utc.TimeOfDay == TimeSpan.Zero
        ? utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public override string? Normalize(string key, string raw) => Parse(raw) is { } value ? Format(value) : null;
}
