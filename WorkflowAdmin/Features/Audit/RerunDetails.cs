using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Features.Audit;

/// <summary>What a re-run entry's after-value records: the execution it created, the mode, and the edits to the input.</summary>
public sealed record RerunDetails(Guid RerunExecutionId, string? Mode, IReadOnlyList<JsonChange> InputChanges)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>The details of a re-run entry; null for any other entry, or one whose after-value does not read as one.</summary>
    public static RerunDetails? From(string action, string? afterJson)
    {
        if (action != AuditActions.ExecutionRerun || string.IsNullOrEmpty(afterJson))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(afterJson) is not JsonObject after
                || after["rerunExecutionId"]?.GetValue<string>() is not { } id
                || !Guid.TryParse(id, out var rerunId))
            {
                return null;
            }

            var changes = after["inputChanges"]?.Deserialize<List<JsonChange>>(Web) ?? [];
            return new RerunDetails(rerunId, after["mode"]?.GetValue<string>(), changes);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Evidence is shown as stored even when it is not what this build expects; the raw JSON stays on the page.
            return null;
        }
    }
}
