using System.Text;

namespace WorkflowAdmin.Admin;

/// <summary>The file formats a list downloads as.</summary>
public enum ExportFormat
{
    Csv,
    JsonLines,
}

/// <summary>How a format is named in the URL (<c>format=csv|jsonl</c>) and served.</summary>
public static class ExportFormats
{
    /// <summary>The URL parameter; the list state never uses it, so it cannot clash with a filter.</summary>
    public const string Key = "format";

    public static string Name(ExportFormat format) => format == ExportFormat.Csv ? "csv" : "jsonl";

    public static ExportFormat? Parse(string? name) => name switch
    {
        null or "" or "csv" => ExportFormat.Csv,
        "jsonl" => ExportFormat.JsonLines,
        _ => null,
    };

    public static string ContentType(ExportFormat format) => format == ExportFormat.Csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8";
}

/// <summary>One exported column: its title (the CSV header) and its name in a JSON line.</summary>
public sealed record ExportField(string Title, string Name)
{
    /// <summary>"Triggered by" becomes "triggeredBy".</summary>
    public static string NameOf(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var name = new StringBuilder();
        foreach (var word in title.Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries))
        {
            var letters = new string(word.Where(char.IsLetterOrDigit).ToArray());
            if (letters.Length == 0)
            {
                continue;
            }

            name.Append(name.Length == 0 ? letters.ToLowerInvariant() : char.ToUpperInvariant(letters[0]) + letters[1..].ToLowerInvariant());
        }

        return name.ToString();
    }
}
