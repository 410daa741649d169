using System.Globalization;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;

namespace WorkflowAdmin.Features.Dashboard;

/// <summary>
/// Links into the executions list, in the query parameters that list reads: <c>status</c>, <c>from</c> (inclusive)
/// and <c>to</c> (exclusive) as ISO 8601 UTC times.
/// </summary>
internal static class ExecutionListLinks
{
    public static string ForStatus(ExecutionStatus status, StatusWindow window) => ForStatus(status.ToString(), window);

    /// <summary>Failures no re-run has resolved (decision 0025): where the dashboard's failure figures lead.</summary>
    public static string ForUnresolved(StatusWindow window) => ForStatus(ExecutionsAdmin.UnresolvedValue, window);

    public static string ForExecution(Guid id) => $"/executions/{id}";

    private static string ForStatus(string status, StatusWindow window) =>
        Build(("status", status), ("from", Iso(window.From)), ("to", Iso(window.To)));

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // Times and status names are URL-safe as they are, and stay readable.
    private static string Build(params (string Name, string Value)[] parameters) =>
        "/executions?" + string.Join("&", parameters.Select(p => $"{p.Name}={p.Value}"));
}
