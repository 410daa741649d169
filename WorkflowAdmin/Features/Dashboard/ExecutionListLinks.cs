using System.Globalization;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Dashboard;

/// <summary>
/// Links into the executions list, in the query parameters that list reads: <c>status</c>, <c>from</c> (inclusive)
/// and <c>to</c> (exclusive) as ISO 8601 UTC times, and <c>q</c> for its search box.
/// </summary>
internal static class ExecutionListLinks
{
    public static string ForStatus(ExecutionStatus status, StatusWindow window) =>
        Build(("status", status.ToString()), ("from", Iso(window.From)), ("to", Iso(window.To)));

    public static string ForError(ErrorGroup group, StatusWindow window) =>
        Build(
            ("status", nameof(ExecutionStatus.Failed)),
            ("q", Uri.EscapeDataString(group.SampleMessage ?? group.ErrorType ?? "")),
            ("from", Iso(window.From)),
            ("to", Iso(window.To)));

    public static string ForExecution(Guid id) => $"/executions/{id}";

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // Values arrive escaped where they need it; times and status names are URL-safe as they are, and stay readable.
    private static string Build(params (string Name, string Value)[] parameters) =>
        "/executions?" + string.Join("&", parameters.Select(p => $"{p.Name}={p.Value}"));
}
