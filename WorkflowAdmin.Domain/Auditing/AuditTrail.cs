using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Operations;

namespace WorkflowAdmin.Domain.Auditing;

/// <summary>
/// The one writer of the audit trail. <see cref="SaveAsync"/> appends the entry in the same SaveChanges (and so
/// the same transaction) as the change it describes: an action is never recorded without happening, nor happens
/// without being recorded. The entry is sealed into the hash chain shortly after commit by <see cref="AuditSealer"/>,
/// so writers never contend on the chain's end (decision 0015).
/// </summary>
public static class AuditTrail
{
    /// <summary>
    /// Saves <paramref name="db"/>'s pending changes together with <paramref name="record"/> as a new, unsealed
    /// entry. Failures propagate unchanged: nothing here conflicts with another writer.
    /// </summary>
    public static async Task<AuditEntry> SaveAsync(AppDbContext db, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(record);
        var entry = AuditEntry.Record(record);
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        WorkflowTelemetry.AuditWritten(record.Action);
        return entry;
    }
}
