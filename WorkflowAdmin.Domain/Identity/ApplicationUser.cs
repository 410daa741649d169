using System.Text.Json;
using Microsoft.AspNetCore.Identity;

namespace WorkflowAdmin.Domain.Identity;

/// <summary>A console user: support staff, an administrator or an auditor (see <see cref="Roles"/>).</summary>
public sealed class ApplicationUser : IdentityUser
{
    public const int MaxDisplayNameLength = 100;

    public string DisplayName { get; set; } = "";

    /// <summary>A disabled user cannot sign in, and loses an open session within a minute (security stamp revalidation).</summary>
    public bool IsDisabled { get; set; }

    public bool PrefersDarkMode { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Room for a choice of columns on every list the console has, with plenty to spare.</summary>
    public const int MaxListColumnsLength = 4000;

    /// <summary>
    /// The columns the user chose per list, as JSON (list slug → comma-separated column keys); null until they choose.
    /// A list shows them when its address names no columns of its own.
    /// </summary>
    public string? ListColumns { get; private set; }

    /// <summary>The columns the user chose for <paramref name="list"/>, or null.</summary>
    public string? ColumnsFor(string list) => ReadListColumns(ListColumns).GetValueOrDefault(list);

    /// <summary>Remembers <paramref name="columns"/> (null forgets the choice) as the user's columns for <paramref name="list"/>.</summary>
    public void RememberColumns(string list, string? columns)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(list);
        var all = ReadListColumns(ListColumns);
        if (string.IsNullOrWhiteSpace(columns))
        {
            all.Remove(list);
        }
        else
        {
            all[list] = columns;
        }

        var json = all.Count == 0 ? null : JsonSerializer.Serialize(all);
        if (json?.Length > MaxListColumnsLength)
        {
            throw new ArgumentException($"The column choices would take {json.Length} characters; at most {MaxListColumnsLength} are kept.", nameof(columns));
        }

        ListColumns = json;
    }

    /// <summary>The choices stored in <see cref="ListColumns"/>, by list.</summary>
    public static SortedDictionary<string, string> ReadListColumns(string? json) =>
        json is null ? new(StringComparer.Ordinal) : new(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [], StringComparer.Ordinal);
}
