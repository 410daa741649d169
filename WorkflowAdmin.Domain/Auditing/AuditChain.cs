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
    /// position does not match. The walk covers the chain as its head recorded it when verification began: entries
    /// appended meanwhile (sign-ins do not pause) belong to the next verification. The head must name the last entry
    /// walked (a deleted tail shows there), and no entry may lie beyond the head (a row inserted behind the
    /// application's back). Reads in pages so a long trail never sits in memory at once.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        const int PageSize = 2000;

        // An entry and the head's move past it commit together, so every entry up to the head read now is committed.
        var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var end = head?.LastSequence ?? long.MaxValue;
        var previousHash = GenesisHash;
        long expected = 1;
        while (true)
        {
            var from = expected;
            var page = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence >= from && e.Sequence <= end)
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
        if (head is null)
        {
            return verified == 0
                ? AuditVerification.Intact(0)
                : AuditVerification.Broken(verified, verified + 1,
                    $"Entries 1 to {verified} link up, but the record of where the chain ends is missing: entries after {verified} may have been deleted.");
        }

        if (head.LastSequence != verified || head.LastHash != previousHash)
        {
            return AuditVerification.Broken(verified, verified + 1,
                $"The chain ends at entry {verified}, but entry {head.LastSequence} was recorded: entries were deleted.");
        }

        // The newest entry first, then the head: a legitimate entry read here has its head move committed already.
        var newest = await db.AuditEntries.MaxAsync(e => (long?)e.Sequence, cancellationToken);
        var lastNow = (await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(cancellationToken))?.LastSequence ?? 0;
        if (newest > lastNow)
        {
            var foreign = await db.AuditEntries.Where(e => e.Sequence > lastNow).MinAsync(e => e.Sequence, cancellationToken);
            return AuditVerification.Broken(verified, foreign, $"Entry {foreign} lies beyond the end of the chain: the application did not write it.");
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
