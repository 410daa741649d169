using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// What the API may say about an execution's error (decision 0014). A step's own business refusal is the
/// execution's data and its caller needs it: an external system said no (<see cref="ExternalSystemException"/>,
/// whose messages our adapters write for people), or the engine gave up after losing workers ("WorkerLost", our own
/// words), or a key was refused a customer it does not own (<see cref="CustomerNotAvailableException"/>, whose
/// message names only the slug the caller sent, decision 0011). Anything else is the engine's or the database's exception, whose text can name tables, hosts, SQL or
/// internals: the API answers with a fixed message, and staff read the full type, message and stack trace on the
/// execution's page in the console.
/// </summary>
internal static class PublicError
{
    public const string InternalType = "InternalError";

    public const string InternalMessage =
        "The step failed on an internal error. Its details are kept on the execution's page in the console; quote the execution id to support.";

    private static readonly HashSet<string> BusinessTypes = new(StringComparer.Ordinal)
    {
        typeof(ExternalSystemException).FullName!,
        typeof(CustomerNotAvailableException).FullName!,
        "WorkerLost",
    };

    public static ExecutionError? Of(ExecutionError? error) =>
        error is null || error.Type is { } type && BusinessTypes.Contains(type)
            ? error
            : error with { Type = InternalType, Message = InternalMessage };
}
