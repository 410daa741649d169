using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace WorkflowAdmin.Components.Shared;

/// <summary>
/// "3 min ago": how long ago (or until) a UTC time is, in the largest whole unit, with seconds under a minute, where a
/// person checking "did it just happen?" needs them. Past 30 days the date itself says more than "41 d ago".
/// </summary>
public static class RelativeTimeText
{
    public static string Describe(DateTime utc, DateTime nowUtc)
    {
        var difference = nowUtc - utc;
        var span = difference.Duration();
        var amount = span switch
        {
            { TotalSeconds: < 1 } => null,
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds} s"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min"),
            { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h"),
            { TotalDays: < 30 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d"),
            _ => "",
        };
        return amount switch
        {
            null => "just now",
            "" => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ when difference < TimeSpan.Zero => "in " + amount,
            _ => amount + " ago",
        };
    }

    /// <summary>
    /// The console's one markup for a time: a <c>&lt;time&gt;</c> with the relative text, and a title with the absolute time to
    /// the second, in UTC until app.js rewrites it in the browser's own zone. <see cref="RelativeTime"/> renders it, and
    /// so do list cells, as plain markup: a component per cell would cost each open list its own render tree.
    /// </summary>
    public static RenderFragment Markup(DateTime utc, DateTime nowUtc) => builder =>
    {
        builder.OpenElement(0, "time");
        builder.AddAttribute(1, "class", "nowrap");
        builder.AddAttribute(2, "datetime", utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        builder.AddAttribute(3, "data-local-time", true);
        builder.AddAttribute(4, "title", utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        builder.AddContent(5, Describe(utc, nowUtc));
        builder.CloseElement();
    };
}
