using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>What happened to a value between two JSON documents.</summary>
public enum JsonChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>
/// One value that differs between two JSON documents, by path ("customer.name", "admins[1]", "$" for the whole
/// document). <see cref="Before"/> and <see cref="After"/> are JSON text; a JSON null is the text <c>null</c>, and a
/// C# null means the value is absent on that side.
/// </summary>
public sealed record JsonChange(string Path, string? Before, string? After)
{
    // Derived, so the audit trail's stored changes (path, before, after) keep their shape.
    [JsonIgnore]
    public JsonChangeKind Kind => Before is null ? JsonChangeKind.Added : After is null ? JsonChangeKind.Removed : JsonChangeKind.Changed;
}

/// <summary>
/// Leaf-by-leaf differences between two JSON documents, structurally rather than as text: objects by property
/// name (order ignored), arrays by position, anything else by value. A value whose kind changes (an object that
/// became a string, say) is one change at its path. What an edited re-run input changed, for the audit trail, and
/// what differs between two executions' step payloads.
/// </summary>
public static class JsonDiff
{
    /// <summary>The changes from <paramref name="beforeJson"/> to <paramref name="afterJson"/>; null or blank text is an absent document.</summary>
    public static IReadOnlyList<JsonChange> Compare(string? beforeJson, string? afterJson)
    {
        var changes = new List<JsonChange>();
        var before = Parse(beforeJson);
        var after = Parse(afterJson);
        Walk("", before.Present, before.Node, after.Present, after.Node, changes);
        return changes;
    }

    // JsonNode.Parse("null") is a C# null, the same as no document at all; keep the difference.
    private static (bool Present, JsonNode? Node) Parse(string? json) =>
        string.IsNullOrWhiteSpace(json) ? (false, null) : (true, JsonNode.Parse(json));

    private static void Walk(string path, bool hasBefore, JsonNode? before, bool hasAfter, JsonNode? after, List<JsonChange> changes)
    {
        if (hasBefore && hasAfter && before is JsonObject b && after is JsonObject a)
        {
            foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key), StringComparer.Ordinal))
            {
                var inBefore = b.TryGetPropertyValue(key, out var beforeValue);
                var inAfter = a.TryGetPropertyValue(key, out var afterValue);
                Walk(path.Length == 0 ? key : $"{path}.{key}", inBefore, beforeValue, inAfter, afterValue, changes);
            }

            return;
        }

        if (hasBefore && hasAfter && before is JsonArray bs && after is JsonArray @as)
        {
            for (var i = 0; i < Math.Max(bs.Count, @as.Count); i++)
            {
                Walk($"{path}[{i}]", i < bs.Count, i < bs.Count ? bs[i] : null, i < @as.Count, i < @as.Count ? @as[i] : null, changes);
            }

            return;
        }

        if (hasBefore != hasAfter || !JsonNode.DeepEquals(before, after))
        {
            changes.Add(new JsonChange(path.Length == 0 ? "$" : path, hasBefore ? Text(before) : null, hasAfter ? Text(after) : null));
        }
    }

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";
}
