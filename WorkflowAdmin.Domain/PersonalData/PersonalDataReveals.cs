using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Domain.PersonalData;

/// <summary>
/// Revealing one execution's personal values in the console: only an actor with
/// <see cref="Permission.RevealPersonalData"/> (Admin, Auditor), only with a reason, and every reveal audited
/// (who, which execution, why) before anything is shown (decision 0040). The service decides and records; the page
/// that asked shows the values for as long as it stays open.
/// </summary>
public sealed class PersonalDataReveals(AppDbContext db, TimeProvider time)
{
    public const int MaxReasonLength = 500;

    /// <exception cref="AccessDeniedException">The actor may not reveal personal data.</exception>
    /// <exception cref="InputValidationException">The reason is missing or too long.</exception>
    /// <exception cref="ExecutionNotFoundException">There is no such execution.</exception>
    public async Task RevealAsync(Guid executionId, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.RevealPersonalData);
        reason = reason?.Trim() ?? "";
        var errors = new InputErrors();
        errors.Required("reason", reason);
        errors.MaxLength("reason", reason, MaxReasonLength);
        if (errors.Any)
        {
            throw new InputValidationException(errors.All);
        }

        var workflow = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Id == executionId)
            .Select(e => e.DefinitionKey)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new ExecutionNotFoundException(executionId);
        await AuditTrail.SaveAsync(db, AuditRecord.For(
            actor, AuditActions.PersonalDataRevealed, time.GetUtcNow().UtcDateTime, AuditTargets.Execution, executionId.ToString(),
            reason: reason, after: new { workflow }), cancellationToken);
    }
}
