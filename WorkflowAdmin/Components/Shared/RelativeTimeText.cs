using System.Globalization;

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
}
