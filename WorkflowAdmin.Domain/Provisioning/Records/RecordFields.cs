using System.Runtime.CompilerServices;

namespace WorkflowAdmin.Domain.Provisioning.Records;

// SQLite ignores declared column lengths while SQL Server and PostgreSQL reject longer values; checking here makes
// every provider behave the same and names the field that was too long.
internal static class RecordFields
{
    public static string Required(string value, int maxLength, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        return Optional(value, maxLength, name)!;
    }

    public static string? Optional(string? value, int maxLength, [CallerArgumentExpression(nameof(value))] string? name = null) =>
        value is null || value.Length <= maxLength
            ? value
            : throw new ArgumentException($"Must be at most {maxLength} characters.", name);
}
