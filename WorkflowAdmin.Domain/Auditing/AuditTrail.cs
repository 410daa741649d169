using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Auditing;

/// <summary>
/// The one writer of the audit trail. <see cref="SaveAsync"/> appends the entry in the same SaveChanges (and so
/// the same transaction) as the change it describes: an action is never recorded without happening, nor happens
/// without being recorded.
/// </summary>
public static class AuditTrail
{
    private const int MaxRetries = 20;

    /// <summary>
    /// Saves <paramref name="db"/>'s pending changes together with <paramref name="record"/> appended to the chain.
    /// If another writer extended the chain first, the entry is re-linked and the save retried; any other failure
    /// propagates unchanged.
    /// </summary>
    public static async Task<AuditEntry> SaveAsync(AppDbContext db, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(record);
        for (var attempt = 1; ; attempt++)
        {
            var head = await db.AuditChainHeads.SingleOrDefaultAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
            var isNew = head is null;
            head ??= AuditChainHead.Genesis();
            var entry = AuditEntry.Chain(record, head.LastSequence + 1, head.LastHash);
            head.Advance(entry);
            if (isNew)
            {
                db.AuditChainHeads.Add(head);
            }

            db.AuditEntries.Add(entry);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return entry;
            }
            catch (DbUpdateException) when (attempt < MaxRetries)
            {
                // If another writer appended between our read and our write, everything else we were saving is
                // still tracked as it was: link again to the new end of the chain and save once more.
                if (!await ChainMovedAsync(db, head, entry, cancellationToken))
                {
                    throw;
                }
            }
        }
    }

    private static async Task<bool> ChainMovedAsync(AppDbContext db, AuditChainHead ours, AuditEntry entry, CancellationToken cancellationToken)
    {
        db.Entry(entry).State = EntityState.Detached;
        db.Entry(ours).State = EntityState.Detached;
        var current = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);

        // We read the head at entry.Sequence - 1; if it has moved since, we lost a race rather than broke a constraint.
        return current is not null && current.LastSequence != entry.Sequence - 1;
    }
}
