using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Auditing;

/// <summary>The hash chain over <see cref="AuditEntry"/> rows: how a hash is computed, and how the chain is verified.</summary>
public static class AuditChain
{
    public static readonly string GenesisHash = new('0', AuditEntry.HashLength);

    // Unit separator between fields and a marker for null, so ("ab", "c") and ("a", "bc") or null and "" never hash alike.
    private const char Separator = '\u001f';
    private const string Null = "\u0000";

    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = new StringBuilder()
            .Append(entry.Sequence.ToString(CultureInfo.InvariantCulture)).Append(Separator)
            .Append(entry.OccurredAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)).Append(Separator)
            .Append(entry.Actor).Append(Separator)
            .Append(entry.ActorKind).Append(Separator)
            .Append(entry.ActorRoles).Append(Separator)
            .Append(entry.Action).Append(Separator)
            .Append(entry.TargetType ?? Null).Append(Separator)
            .Append(entry.TargetId ?? Null).Append(Separator)
            .Append(entry.Reason ?? Null).Append(Separator)
            .Append(entry.BeforeJson ?? Null).Append(Separator)
            .Append(entry.AfterJson ?? Null).Append(Separator)
            .Append(entry.CorrelationId ?? Null).Append(Separator)
            .Append(entry.ClientIp ?? Null).Append(Separator)
            .Append(entry.PreviousHash)
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Walks the chain in order, recomputing every hash, and reports the first entry whose stored hash, link or
    /// position does not match; also checks that the head names the last entry (a deleted tail shows there).
    /// Reads in pages so a long trail never sits in memory at once.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        const int PageSize = 2000;
        var previousHash = GenesisHash;
        long expected = 1;
        while (true)
        {
            var from = expected;
            var page = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence >= from)
                .OrderBy(e => e.Sequence)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            foreach (var entry in page)
            {
                if (entry.Sequence != expected)
                {
                    return AuditVerification.Broken(expected - 1, expected, $"Entry {expected} is missing (the next entry is {entry.Sequence}).");
                }

                if (entry.PreviousHash != previousHash)
                {
                    return AuditVerification.Broken(expected - 1, entry.Sequence, $"Entry {entry.Sequence} does not link to the entry before it.");
                }

                if (ComputeHash(entry) != entry.Hash)
                {
                    return AuditVerification.Broken(expected - 1, entry.Sequence, $"Entry {entry.Sequence} was changed after it was recorded.");
                }

                previousHash = entry.Hash;
                expected++;
            }

            if (page.Count < PageSize)
            {
                break;
            }
        }

        var verified = expected - 1;
        var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (head is not null && (head.LastSequence != verified || head.LastHash != previousHash))
        {
            return AuditVerification.Broken(verified, verified + 1,
                $"The chain ends at entry {verified}, but entry {head.LastSequence} was recorded: entries were deleted.");
        }

        return AuditVerification.Intact(verified);
    }
}

/// <summary>The outcome of <see cref="AuditChain.VerifyAsync"/>.</summary>
public sealed record AuditVerification(bool IsIntact, long VerifiedEntries, long? FirstBrokenSequence, string Message)
{
    public static AuditVerification Intact(long count) =>
        new(true, count, null, count == 0 ? "The audit trail is empty." : $"All {count:N0} entries are intact.");

    public static AuditVerification Broken(long verified, long sequence, string message) => new(false, verified, sequence, message);
}
