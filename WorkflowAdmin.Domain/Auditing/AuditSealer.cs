using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Auditing;

/// <summary>
/// Seals committed entries into the hash chain: the one writer of <see cref="AuditEntry.Sequence"/>, the hashes and
/// <see cref="AuditChainHead"/>. Entries are taken in the order the database numbered them (<see cref="AuditEntry.Id"/>)
/// among those committed when the batch is read; an entry whose transaction commits after a later-numbered one was
/// sealed is simply sealed in a later batch, at the next free position: positions are given here, never at insert.
/// </summary>
public static class AuditSealer
{
    /// <summary>
    /// Seals up to <paramref name="batchSize"/> unsealed entries in one transaction, if <paramref name="sealerId"/> holds
    /// (or can take) the lease. The lease is claimed by the first statement of that transaction, an update of the head
    /// row that keeps the row locked until commit: a second sealer blocks on it, then finds the lease renewed and
    /// gives up, so two seals never run at once even if a clock or a pause outlives the lease.
    /// </summary>
    /// <param name="db">A context used for nothing else: its change tracker is cleared first.</param>
    public static async Task<AuditSealResult> SealAsync(
        AppDbContext db, string sealerId, TimeSpan lease, TimeProvider time, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(sealerId);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        db.ChangeTracker.Clear();

        // The common case on an idle trail costs one indexed read and no write (no lease renewal either).
        if (!await db.AuditEntries.AnyAsync(e => e.Sequence == null, cancellationToken))
        {
            return AuditSealResult.NothingToSeal;
        }

        if (!await EnsureHeadAsync(db, cancellationToken))
        {
            return new AuditSealResult(AuditSealOutcome.HeadMissing, 0);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var until = now + lease;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.AuditChainHeads
            .Where(h => h.Id == AuditChainHead.SingletonId
                && (h.SealerId == sealerId || h.SealerLeaseExpiresAt == null || h.SealerLeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.SealerId, sealerId).SetProperty(h => h.SealerLeaseExpiresAt, until), cancellationToken);
        if (claimed == 0)
        {
            return AuditSealResult.LeaseHeldElsewhere;
        }

        var head = await db.AuditChainHeads.SingleAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
        var entries = await db.AuditEntries.Where(e => e.Sequence == null).OrderBy(e => e.Id).Take(batchSize).ToListAsync(cancellationToken);
        foreach (var entry in entries)
        {
            entry.Seal(head.LastSequence + 1, head.LastHash);
            head.Advance(entry);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The head moved under us: only possible if the lease was bypassed. Nothing of ours commits.
            return AuditSealResult.LeaseHeldElsewhere;
        }

        await transaction.CommitAsync(cancellationToken);
        return new AuditSealResult(AuditSealOutcome.Sealed, entries.Count);
    }

    /// <summary>Gives the lease up (on shutdown), so another node's sealer takes over at once instead of at expiry.</summary>
    public static Task<int> ReleaseAsync(AppDbContext db, string sealerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.AuditChainHeads
            .Where(h => h.Id == AuditChainHead.SingletonId && h.SealerId == sealerId)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.SealerLeaseExpiresAt, (DateTime?)null), cancellationToken);
    }

    // The head is created with the first seal. If it is missing while sealed entries exist, it was deleted: starting
    // a new chain would hide that, so sealing stops and Verify reports it.
    private static async Task<bool> EnsureHeadAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (await db.AuditChainHeads.AnyAsync(cancellationToken))
        {
            return true;
        }

        if (await db.AuditEntries.AnyAsync(e => e.Sequence != null, cancellationToken))
        {
            return false;
        }

        db.AuditChainHeads.Add(AuditChainHead.Genesis());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node's sealer created it at the same moment; theirs is the same genesis row.
            db.ChangeTracker.Clear();
        }

        return true;
    }
}

public enum AuditSealOutcome
{
    NothingToSeal,
    Sealed,
    LeaseHeldElsewhere,
    HeadMissing,
}

/// <summary>What one <see cref="AuditSealer.SealAsync"/> did.</summary>
public sealed record AuditSealResult(AuditSealOutcome Outcome, int Sealed)
{
    public static AuditSealResult NothingToSeal { get; } = new(AuditSealOutcome.NothingToSeal, 0);

    public static AuditSealResult LeaseHeldElsewhere { get; } = new(AuditSealOutcome.LeaseHeldElsewhere, 0);
}
