using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Domain.Workflows;

/// <summary>
/// On whose authority an execution runs: the API key or the console user who started it (a re-run's is the person
/// who re-ran it), or the application. Steps that reach records other principals own decide with it at run time,
/// when a check made at request time may already be stale.
/// </summary>
/// <param name="Id">The API key's id or the console user's id; null for the application and for executions saved before it was recorded.</param>
public sealed record Requester(ActorKind Kind, string? Id, string Name)
{
    public static Requester System { get; } = new(ActorKind.System, null, "system");

    public static Requester Of(WorkflowExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return new Requester(KindOf(execution.TriggerSource), execution.TriggeredById, execution.TriggeredBy);
    }

    public static Requester Of(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new Requester(actor.Kind, actor.Id, actor.Name);
    }

    private static ActorKind KindOf(TriggerSource source) => source switch
    {
        TriggerSource.Api => ActorKind.ApiKey,
        TriggerSource.Console or TriggerSource.Rerun => ActorKind.User,
        TriggerSource.System => ActorKind.System,
        _ => ActorKind.Anonymous,
    };
}
