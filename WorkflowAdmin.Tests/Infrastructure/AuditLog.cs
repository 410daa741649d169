using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Auditing;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>Reading the audit trail back in tests: every entry in chain order, and its JSON values as trees.</summary>
public static class AuditLog
{
    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(DatabaseFixture database)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateDbContext();
        return await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
    }

    /// <summary>The entries written after the first <paramref name="skip"/>: what one action added.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> ReadAfterAsync(DatabaseFixture database, int skip) =>
        (await ReadAsync(database)).Skip(skip).ToList();

    public static JsonNode? Json(string? text) => text is null ? null : JsonNode.Parse(text);

    /// <summary>Asserts that <paramref name="actual"/> holds the same JSON as <paramref name="expected"/>, whatever the formatting.</summary>
    public static void JsonEqual(string expected, string? actual)
    {
        Assert.NotNull(actual);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual!)), $"Expected {expected}, got {actual}.");
    }
}
