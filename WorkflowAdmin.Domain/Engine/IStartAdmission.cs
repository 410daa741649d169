using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// A workflow's own check, before anything is written, that a valid input may be started by this actor (provisioning:
/// the customer is one the caller may reach, decision 0011). The API asks every admission registered for the workflow
/// so a refusal is a clean 409 instead of an execution that fails in its first step; the steps still check at run time.
/// </summary>
public interface IStartAdmission
{
    string WorkflowKey { get; }

    /// <returns>Null to admit; otherwise why not, in words for the caller.</returns>
    Task<StartRefusal?> CheckAsync(ValidatedInput input, Actor actor, CancellationToken cancellationToken);
}

public sealed record StartRefusal(string Title, string Detail);
