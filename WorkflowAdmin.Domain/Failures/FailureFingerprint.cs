using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace WorkflowAdmin.Domain.Failures;

/// <summary>
/// Which failure group a failed execution belongs to: its workflow, failed step, error type and error message with
/// the parts that vary from one occurrence to the next (urls, quoted values, emails, times, ids, numbers) replaced
/// by placeholders, hashed into a short stable key (decision 0028). Changing a rule here moves failures into new
/// groups, so existing rows must be recounted (<see cref="FailureGroupBackfill"/>) after such a change.
/// </summary>
public static partial class FailureFingerprint
{
    /// <summary>Sixteen hex digits: 64 bits, so that even a million groups collide with odds of about one in 10^7.</summary>
    public const int Length = 16;

    /// <summary>The longest normalised message kept as a group's sample, the same as a stored error message.</summary>
    public const int MaxNormalisedLength = 2000;

    public static string Compute(string definitionKey, string? stepKey, string? errorType, string? message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definitionKey);
        var text = string.Join('\n', definitionKey, stepKey ?? "", errorType ?? "", Normalise(message));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..Length];
    }

    /// <summary>The message with its variable parts replaced by placeholders, whitespace collapsed.</summary>
    public static string Normalise(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return "";
        }

        // Order matters: a url or a quoted value may contain an email, a time or numbers, and is one value as a whole;
        // a guid or a timestamp contains numbers and must be recognised before the numbers are.
        var text = message.Length > MaxNormalisedLength ? message[..MaxNormalisedLength] : message;
        text = Url().Replace(text, "<url>");
        text = Quoted().Replace(text, m => $"{m.Value[0]}<value>{m.Value[^1]}");
        text = Email().Replace(text, "<email>");
        text = Timestamp().Replace(text, "<time>");
        text = Guid().Replace(text, "<id>");
        text = HexId().Replace(text, "<id>");
        text = MixedId().Replace(text, "<id>");
        text = Number().Replace(text, "<n>");
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"\b(?:https?|ftp)://[^\s'""<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    // Single, double and back quotes, and the typographic pairs; a quoted value spans no line break.
    [GeneratedRegex(@"'[^'\r\n]*'|""[^""\r\n]*""|`[^`\r\n]*`|‘[^’\r\n]*’|“[^”\r\n]*”", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // ISO 8601 and the "u" and "s" formats: a date, optionally a time with fractions and an offset or Z.
    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w-])|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b|\{[0-9a-fA-F-]{36}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Guid();

    // Hashes, hex guids without dashes, trace ids: at least eight hex digits with at least one digit in them.
    [GeneratedRegex(@"\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex HexId();

    // Ids such as cus_8f3k2j, INV-2026-0042 or req42x: a word that has both letters and digits, or digits joined by
    // dashes or underscores; plain words ("utf8" aside, which the length keeps) and plain numbers are left.
    [GeneratedRegex(@"\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z_-])[A-Za-z0-9][\w-]{5,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex MixedId();

    [GeneratedRegex(@"[-+]?\b\d+(?:[.,]\d+)*\b", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
