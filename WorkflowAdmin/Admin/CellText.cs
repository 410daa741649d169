using System.Collections;
using System.Globalization;

namespace WorkflowAdmin.Admin;

/// <summary>How a list cell shows a value when its column declares no template: one format per type, everywhere.</summary>
public static class CellText
{
    public static string Format(object? value) => value switch
    {
        null => "",
        string text => text,
        DateTime time => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "Yes" : "No",
        TimeSpan span => Duration(span),
        Enum member => member.ToString(),
        int or long => ((IFormattable)value).ToString("N0", CultureInfo.InvariantCulture),
        decimal or double => ((IFormattable)value).ToString("N2", CultureInfo.InvariantCulture),
        Guid id => id.ToString(),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Format)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>A duration as people read it: "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min".</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0} ms"),
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds:00} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min"),
    };
}
