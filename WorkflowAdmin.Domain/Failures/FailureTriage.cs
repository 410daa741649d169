using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Domain.Failures;

/// <summary>
/// Triage of failure groups: state, owner, note and link. Admins only (checked here, not just by the page), each
/// change audited in its own transaction (decision 0009). The group's state is its concurrency token, so a change
/// decided on a page that read the group before a new failure reopened it is refused rather than applied blindly.
/// </summary>
public sealed class FailureTriage(AppDbContext db, TimeProvider time)
{
    public async Task<FailureGroup> ChangeStateAsync(string fingerprint, TriageState next, Actor actor, CancellationToken cancellationToken)
    {
        var group = await LoadForChangeAsync(fingerprint, actor, cancellationToken);
        var before = group.TriageState;
        group.MoveTo(next, actor.Name, Now());
        await SaveAsync(group, AuditRecord.For(
            actor, AuditActions.FailureGroupTriaged, Now(), AuditTargets.FailureGroup, fingerprint,
            before: new { state = before.ToString() }, after: new { state = next.ToString() }), cancellationToken);
        return group;
    }

    /// <summary>Makes the console user <paramref name="ownerUserId"/> the group's owner, or clears the owner (null).</summary>
    public async Task<FailureGroup> AssignOwnerAsync(string fingerprint, string? ownerUserId, Actor actor, CancellationToken cancellationToken)
    {
        var group = await LoadForChangeAsync(fingerprint, actor, cancellationToken);
        string? ownerName = null;
        if (!string.IsNullOrWhiteSpace(ownerUserId))
        {
            var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == ownerUserId, cancellationToken)
                ?? throw new TriageRefusedException($"There is no console user {ownerUserId} to own the group.");
            if (user.IsDisabled)
            {
                throw new TriageRefusedException($"{user.Email} is disabled and cannot own a failure group.");
            }

            ownerName = user.Email ?? user.UserName ?? user.Id;
        }
        else
        {
            ownerUserId = null;
        }

        var before = group.OwnerName;
        group.AssignOwner(ownerUserId, ownerName, actor.Name, Now());
        await SaveAsync(group, AuditRecord.For(
            actor, AuditActions.FailureGroupAssigned, Now(), AuditTargets.FailureGroup, fingerprint,
            before: new { owner = before }, after: new { owner = ownerName }), cancellationToken);
        return group;
    }

    public async Task<FailureGroup> DescribeAsync(string fingerprint, string? note, string? link, Actor actor, CancellationToken cancellationToken)
    {
        var group = await LoadForChangeAsync(fingerprint, actor, cancellationToken);
        var before = new { note = group.Note, link = group.Link };
        group.Describe(note, link, actor.Name, Now());
        await SaveAsync(group, AuditRecord.For(
            actor, AuditActions.FailureGroupDescribed, Now(), AuditTargets.FailureGroup, fingerprint,
            before: before, after: new { note = group.Note, link = group.Link }), cancellationToken);
        return group;
    }

    private async Task<FailureGroup> LoadForChangeAsync(string fingerprint, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.TriageFailures);
        ArgumentException.ThrowIfNullOrWhiteSpace(fingerprint);
        return await db.FailureGroups.SingleOrDefaultAsync(g => g.Fingerprint == fingerprint, cancellationToken)
            ?? throw new FailureGroupNotFoundException(fingerprint);
    }

    private async Task SaveAsync(FailureGroup group, AuditRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await AuditTrail.SaveAsync(db, record, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw new FailureGroupChangedException(group.Fingerprint);
        }
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}

public sealed class FailureGroupNotFoundException(string fingerprint)
    : KeyNotFoundException($"There is no failure group {fingerprint}.");

public sealed class FailureGroupChangedException(string fingerprint)
    : InvalidOperationException($"Failure group {fingerprint} changed since it was read (a new failure may have reopened it). Reload it and try again.");
