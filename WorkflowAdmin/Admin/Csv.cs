namespace WorkflowAdmin.Admin;

/// <summary>
/// CSV as RFC 4180 writes it (fields separated by commas, records by CRLF, a field quoted when it holds a comma, a
/// quote or a line break, quotes doubled), made safe to open in a spreadsheet: a cell that starts like a formula
/// (= + - @, a tab or a carriage return) gets a leading apostrophe, so it is shown as text and never evaluated.
/// </summary>
public static class Csv
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (FormulaStarts.Contains(value[0]))
        {
            value = "'" + value;
        }

        return value.IndexOfAny(NeedsQuotes) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Record(IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return string.Join(',', fields.Select(Field)) + "\r\n";
    }
}
