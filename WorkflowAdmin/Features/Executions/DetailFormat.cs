using System.Globalization;

namespace WorkflowAdmin.Features.Executions;

/// <summary>How the console's screens write ids, times and durations: UTC, to the second, culture-neutral.</summary>
internal static class DetailFormat
{
    public const string None = "—";

    /// <summary>An id's first eight characters, as every list shows it (the whole id goes in the link's title).</summary>
    public static string ShortId(Guid id) => id.ToString()[..8];

    public static string Utc(DateTime? value) =>
        value is { } time ? time.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : None;

    public static string Duration(TimeSpan? value) => value switch
    {
        null => None,
        { TotalSeconds: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0} ms"),
        { TotalMinutes: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.0} s"),
        { TotalHours: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.Minutes} min {d.Seconds} s"),
        { TotalDays: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.Hours} h {d.Minutes} min"),
        var d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.Value.TotalDays} d {d.Value.Hours} h"),
    };
}
