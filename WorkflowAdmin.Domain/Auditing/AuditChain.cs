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

    /// <summary>
    /// How long an entry may wait to be sealed before Verify calls it late: a dead leader's lease (30 s by default)
    /// plus a few sealing intervals, with room to spare.
    /// </summary>
    public static readonly TimeSpan SealingGrace = TimeSpan.FromMinutes(2);

    /// <summary>The hash of a sealed entry (its position and its predecessor's hash are part of it).</summary>
    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Sequence is not { } sequence || entry.PreviousHash is null)
        {
            throw new InvalidOperationException($"Audit entry {entry.Id} is not sealed yet: it has no place in the chain to hash.");
        }

        // The same text as before entries were sealed after commit (decision 0015), so older chains still verify.
        var text = new StringBuilder()
            .Append(sequence.ToString(CultureInfo.InvariantCulture)).Append(Separator)
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

    public static Task<AuditVerification> VerifyAsync(AppDbContext db, CancellationToken cancellationToken) =>
        VerifyAsync(db, TimeProvider.System, cancellationToken);

    /// <summary>
    /// Walks the sealed chain in order, recomputing every hash, and reports the first entry whose stored hash, link
    /// or position does not match. The walk covers the chain as its head recorded it when verification began:
    /// entries sealed meanwhile belong to the next verification. The head must name the last entry walked (a deleted
    /// tail shows there), and no sealed entry may lie beyond the head (a row written behind the application's back).
    /// Entries not sealed yet are counted, not judged; one waiting longer than <see cref="SealingGrace"/> is flagged,
    /// since until sealed nothing shows an edit to it. Reads in pages so a long trail never sits in memory at once.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(AppDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        const int PageSize = 2000;

        // A seal and the head's move past it commit together, so every entry up to the head read now is sealed.
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
                    return AuditVerification.Broken(expected - 1, expected, $"Entry {expected} is missing (the next entry is {entry.Sequence}).", entry.Id);
                }

                if (entry.PreviousHash != previousHash)
                {
                    return AuditVerification.Broken(expected - 1, expected, $"Entry {expected} does not link to the entry before it.", entry.Id);
                }

                if (ComputeHash(entry) != entry.Hash)
                {
                    return AuditVerification.Broken(expected - 1, expected, $"Entry {expected} was changed after it was recorded.", entry.Id);
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
                ? await IntactAsync(db, 0, time, cancellationToken)
                : AuditVerification.Broken(verified, verified + 1,
                    $"Entries 1 to {verified} link up, but the record of where the chain ends is missing: entries after {verified} may have been deleted.");
        }

        if (head.LastSequence != verified || head.LastHash != previousHash)
        {
            return AuditVerification.Broken(verified, verified + 1,
                $"The chain ends at entry {verified}, but entry {head.LastSequence} was recorded: entries were deleted.");
        }

        // The newest sealed entry first, then the head: a legitimate seal read here has its head move committed already.
        var newest = await db.AuditEntries.MaxAsync(e => e.Sequence, cancellationToken);
        var lastNow = (await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(cancellationToken))?.LastSequence ?? 0;
        if (newest > lastNow)
        {
            var foreign = await db.AuditEntries.Where(e => e.Sequence > lastNow).OrderBy(e => e.Sequence)
                .Select(e => new { Sequence = e.Sequence!.Value, e.Id }).FirstAsync(cancellationToken);
            return AuditVerification.Broken(verified, foreign.Sequence,
                $"Entry {foreign.Sequence} lies beyond the end of the chain: the application did not write it.", foreign.Id);
        }

        return await IntactAsync(db, verified, time, cancellationToken);
    }

    private static async Task<AuditVerification> IntactAsync(AppDbContext db, long verified, TimeProvider time, CancellationToken cancellationToken)
    {
        var unsealed = await db.AuditEntries.LongCountAsync(e => e.Sequence == null, cancellationToken);
        if (unsealed == 0)
        {
            return AuditVerification.Intact(verified);
        }

        var oldest = await db.AuditEntries.Where(e => e.Sequence == null).MinAsync(e => e.OccurredAt, cancellationToken);
        var late = oldest < time.GetUtcNow().UtcDateTime - SealingGrace;
        return AuditVerification.Intact(verified, unsealed, late ? oldest : null);
    }
}

/// <summary>The outcome of <see cref="AuditChain.VerifyAsync(AppDbContext, TimeProvider, CancellationToken)"/>.</summary>
public sealed record AuditVerification(bool IsIntact, long VerifiedEntries, long? FirstBrokenSequence, string Message)
{
    /// <summary>Entries recorded but not sealed yet when the check ran (only counted on an intact chain).</summary>
    public long UnsealedEntries { get; init; }

    /// <summary>When the oldest unsealed entry was recorded, if it has waited longer than <see cref="AuditChain.SealingGrace"/>.</summary>
    public DateTime? SealingLateSince { get; init; }

    public bool IsSealingLate => SealingLateSince is not null;

    public static AuditVerification Intact(long count, long unsealed = 0, DateTime? sealingLateSince = null)
    {
        var sealedText = count == 0 ? "No entry is sealed yet." : $"All {count:N0} entries are intact.";
        var unsealedText = unsealed switch
        {
            0 => "",
            1 => " 1 newer entry is being sealed.",
            _ => $" {unsealed:N0} newer entries are being sealed.",
        };
        var message = count == 0 && unsealed == 0 ? "The audit trail is empty." : sealedText + unsealedText;
        return new(true, count, null, message) { UnsealedEntries = unsealed, SealingLateSince = sealingLateSince };
    }

    /// <summary>The id of the entry to open for a break (the entry past a gap, the changed or foreign entry), if one exists.</summary>
    public long? FirstBrokenEntryId { get; init; }

    public static AuditVerification Broken(long verified, long sequence, string message, long? entryId = null) =>
        new(false, verified, sequence, message) { FirstBrokenEntryId = entryId };
}
