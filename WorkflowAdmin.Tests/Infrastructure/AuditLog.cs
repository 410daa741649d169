using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>Reading the audit trail back in tests: every entry in the order recorded, and its JSON values as trees.</summary>
public static class AuditLog
{
    public const string TestSealer = "test-sealer";

    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(DatabaseFixture database)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateDbContext();
        return await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>
    /// Seals every committed entry, as the application's sealer does shortly after commit; returns how many. Where a
    /// running test app's own sealer holds the lease, waits (bounded) for it to have sealed everything instead.
    /// </summary>
    public static async Task<int> SealAsync(DatabaseFixture database, string sealer = TestSealer)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateDbContext();
        var total = 0;
        while (true)
        {
            var result = await AuditSealer.SealAsync(db, sealer, TimeSpan.FromSeconds(30), TimeProvider.System, 500, default);
            if (result.Outcome == AuditSealOutcome.LeaseHeldElsewhere)
            {
                await WaitUntilSealedAsync(db);
                return total;
            }

            Assert.True(result.Outcome is AuditSealOutcome.Sealed or AuditSealOutcome.NothingToSeal, $"Sealing failed: {result}");
            total += result.Sealed;
            if (result.Outcome == AuditSealOutcome.NothingToSeal)
            {
                return total;
            }
        }
    }

    private static async Task WaitUntilSealedAsync(AppDbContext db)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await db.AuditEntries.AnyAsync(e => e.Sequence == null))
        {
            Assert.True(DateTime.UtcNow < deadline, "The app's sealer left entries unsealed for 30 s.");
            await Task.Delay(50);
        }
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
