using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Bulk;

/// <summary>
/// Starts bulk re-runs on behalf of an <see cref="Actor"/>. The executions are fixed when the admin confirms, the
/// whole operation is written together with its one audit entry, and only then handed to a background job
/// (<see cref="BulkRerunJob"/>) that creates the re-runs batch by batch. A crash between the commit and the
/// enqueue leaves a Pending bulk re-run that recovery queues again.
/// </summary>
public sealed partial class BulkReruns(AppDbContext db, TimeProvider time, BulkRerunJobs jobs, ILogger<BulkReruns> logger)
{
    /// <summary>How many of the chosen execution ids the audit entry lists; the rest are in the items.</summary>
    public const int AuditSampleSize = 10;

    // Keeps each existence check well below every provider's parameter limit.
    private const int LookupChunk = 500;

    /// <param name="submitToken">
    /// Issued once per confirmation (when the dialog opens) and sent with every submit of it: the first submit
    /// creates the bulk re-run and consumes the token in the same transaction; any later one, even one racing it,
    /// gets that same bulk re-run back and writes nothing.
    /// </param>
    /// <exception cref="AccessDeniedException">The actor may not re-run executions; nothing was read or written.</exception>
    /// <exception cref="InputValidationException">No token, no reason, no executions, too many, or ids that do not exist.</exception>
    public async Task<BulkRerun> StartAsync(
        Guid submitToken, IReadOnlyList<Guid> executionIds, RerunMode mode, string reason, string description, Actor actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.RerunExecution);
        if (submitToken == Guid.Empty)
        {
            throw InputValidationException.At("submitToken", "is required: open the confirmation again");
        }

        if (await FindSubmittedAsync(submitToken, actor, cancellationToken) is { } submitted)
        {
            return submitted;
        }

        reason = CheckReason(reason);
        var ids = executionIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            throw InputValidationException.At("executionIds", "must name at least one execution to re-run");
        }

        if (ids.Count > BulkRerun.MaxItems)
        {
            throw InputValidationException.At(
                "executionIds", $"names {ids.Count:N0} executions; a bulk re-run takes at most {BulkRerun.MaxItems:N0}: narrow the selection");
        }

        var missing = await MissingAsync(ids, cancellationToken);
        if (missing.Count > 0)
        {
            throw InputValidationException.At(
                "executionIds", $"names {missing.Count:N0} execution(s) that do not exist, such as {string.Join(", ", missing.Take(3))}");
        }

        // An admin limited to some workflows re-runs only their executions: the whole request is refused, not trimmed,
        // so what runs is always what was confirmed.
        if (actor.Workflows is not null && (await WorkflowsOfAsync(ids, cancellationToken)).FirstOrDefault(k => !actor.MayUse(k)) is { } other)
        {
            throw new AccessDeniedException(actor, Permission.RerunExecution, other);
        }

        description = string.IsNullOrWhiteSpace(description) ? $"{ids.Count:N0} chosen executions" : description.Trim();
        var now = time.GetUtcNow().UtcDateTime;
        var bulk = BulkRerun.Create(submitToken, ids, mode, reason, description, actor.Name, now);
        db.BulkReruns.Add(bulk);
        try
        {
            await AuditTrail.SaveAsync(db, AuditRecord.For(
                actor, AuditActions.ExecutionBulkRerun, now, AuditTargets.BulkRerun, bulk.Id.ToString(), reason,
                after: new
                {
                    count = bulk.Total,
                    mode = mode.ToString(),
                    description = bulk.Description,
                    sample = ids.Take(AuditSampleSize),
                }), cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A submit of the same confirmation committed between our look-up and our save, and the unique token
            // refused ours: answer with its bulk re-run, which its own submit has already queued.
            db.ChangeTracker.Clear();
            if (await FindSubmittedAsync(submitToken, actor, cancellationToken) is { } raced)
            {
                return raced;
            }

            throw;
        }

        try
        {
            jobs.Enqueue(bulk.Id);
        }
        catch (Exception ex)
        {
            // Committed and Pending: recovery queues it within a sweep. Failing the caller now would invite a
            // second confirmation, and so a second bulk re-run of the same executions.
            LogEnqueueFailed(ex, bulk.Id);
        }

        return bulk;
    }

    private async Task<BulkRerun?> FindSubmittedAsync(Guid submitToken, Actor actor, CancellationToken cancellationToken)
    {
        var submitted = await db.BulkReruns.AsNoTracking().SingleOrDefaultAsync(b => b.SubmitToken == submitToken, cancellationToken);
        return submitted is null || submitted.RequestedBy == actor.Name
            ? submitted
            : throw InputValidationException.At("submitToken", "belongs to another person's confirmation: open the confirmation again");
    }

    private async Task<List<Guid>> MissingAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        var missing = new List<Guid>();
        foreach (var chunk in ids.Chunk(LookupChunk))
        {
            var found = await db.WorkflowExecutions.AsNoTracking()
                .Where(e => chunk.Contains(e.Id))
                .Select(e => e.Id)
                .ToListAsync(cancellationToken);
            missing.AddRange(chunk.Except(found));
        }

        return missing;
    }

    private async Task<HashSet<string>> WorkflowsOfAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(LookupChunk))
        {
            keys.UnionWith(await db.WorkflowExecutions.AsNoTracking()
                .Where(e => chunk.Contains(e.Id))
                .Select(e => e.DefinitionKey)
                .Distinct()
                .ToListAsync(cancellationToken));
        }

        return keys;
    }

    private static string CheckReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw InputValidationException.At("reason", "is required: say why you re-run these executions");
        }

        reason = reason.Trim();
        return reason.Length > WorkflowExecution.MaxReasonLength
            ? throw InputValidationException.At("reason", $"must be at most {WorkflowExecution.MaxReasonLength} characters")
            : reason;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk re-run {BulkRerunId} was saved but could not be queued; recovery will queue it.")]
    private partial void LogEnqueueFailed(Exception exception, Guid bulkRerunId);
}
