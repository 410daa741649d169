using System.Globalization;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>Reads samples out of a <c>/metrics</c> page in the Prometheus text format.</summary>
public static class PrometheusText
{
    /// <summary>The value of the one series of <paramref name="name"/> carrying every label given.</summary>
    public static double Value(string metrics, string name, params (string Key, string Value)[] labels)
    {
        var lines = Lines(metrics, name, labels).ToList();
        Assert.True(lines.Count == 1, $"{lines.Count} series of {name} with {string.Join(",", labels)}:\n{metrics}");
        return lines[0].Value;
    }

    /// <summary>Every series of <paramref name="name"/> carrying every label given, with its value.</summary>
    public static IEnumerable<(string Line, double Value)> Lines(string metrics, string name, params (string Key, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(l => labels.All(p => l.Contains($"{p.Key}=\"{p.Value}\"", StringComparison.Ordinal)))
            .Select(l => (l, SampleValue(l)));
    }

    // A sample line is `name{labels} value [timestamp]`.
    private static double SampleValue(string line)
    {
        var parts = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ');
        return double.Parse(parts[0], CultureInfo.InvariantCulture);
    }
}
