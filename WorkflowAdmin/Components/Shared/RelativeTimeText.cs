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
    public static RenderFragment Markup(DateTime utc, DateTime nowUtc)
    {
        var html = Html(utc, nowUtc);
        return builder => builder.AddMarkupContent(0, html);
    }

    /// <summary>The same markup as one HTML string: a list cell is then one render-tree frame (decision 0049).</summary>
    public static string Html(DateTime utc, DateTime nowUtc) => string.Create(CultureInfo.InvariantCulture,
        $"<time class=\"nowrap\" datetime=\"{utc:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\" data-local-time title=\"{utc:yyyy-MM-dd HH:mm:ss 'UTC'}\">{Describe(utc, nowUtc)}</time>");
}
