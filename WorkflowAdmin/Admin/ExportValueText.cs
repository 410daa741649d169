using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace WorkflowAdmin.Admin;

/// <summary>
/// How an exported value is written: exact and machine-readable rather than as the screen shows it (times in ISO
/// 8601 UTC with milliseconds, whole ids, durations as hh:mm:ss.fff, numbers without grouping).
/// </summary>
public static class ExportValueText
{
    public static string? Csv(object? value) => value switch
    {
        null => null,
        string text => text,
        DateTime time => Iso(time),
        DateTimeOffset time => Iso(time.UtcDateTime),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeSpan span => Duration(span),
        bool flag => flag ? "true" : "false",
        Enum member => member.ToString(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Csv)),
        _ => value.ToString(),
    };

    public static void Json(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or long or short or byte:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case IEnumerable items when value is not string:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Json(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Csv(value));
                break;
        }
    }

    private static string Iso(DateTime time) =>
        DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours:00}:{span.Minutes:00}:{span.Seconds:00}.{span.Milliseconds:000}");
}
