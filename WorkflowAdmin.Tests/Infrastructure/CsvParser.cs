using System.Text;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>Exported CSV read back independently of the writer, failing on anything RFC 4180 does not allow.</summary>
public static class CsvParser
{
    // Quoted fields may hold commas, doubled quotes and line breaks.
    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else
            {
                Assert.False(c is '\r' or '\n' or '"', $"An unquoted {(int)c} at {i} breaks RFC 4180.");
                field.Append(c);
            }
        }

        Assert.True(field.Length == 0 && record.Count == 0, "The file must end with a complete record.");
        return records;
    }
}
