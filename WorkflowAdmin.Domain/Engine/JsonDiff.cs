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

    /// <summary>
    /// The changes from <paramref name="beforeJson"/> to <paramref name="afterJson"/>, with each value shown as it is
    /// in the masked documents (decision 0040): a personal value that differs is a change at its path, shown masked on
    /// both sides. The masked documents must have the shape of the originals, which <c>PayloadMasker</c> keeps.
    /// </summary>
    public static IReadOnlyList<JsonChange> Compare(string? beforeJson, string? afterJson, string? maskedBeforeJson, string? maskedAfterJson)
    {
        var raw = Compare(beforeJson, afterJson);
        if (raw.Count == 0)
        {
            return raw;
        }

        var maskedBefore = Parse(maskedBeforeJson).Node;
        var maskedAfter = Parse(maskedAfterJson).Node;
        return [.. raw.Select(c => c with
        {
            Before = c.Before is null ? null : Text(At(maskedBefore, c.Path)),
            After = c.After is null ? null : Text(At(maskedAfter, c.Path)),
        })];
    }

    // The value at a path this class wrote ("a.b[2].c", "$"); a property name with a dot in it is looked up whole first.
    private static JsonNode? At(JsonNode? root, string path)
    {
        if (path == "$")
        {
            return root;
        }

        var node = root;
        var rest = path;
        while (rest.Length > 0 && node is not null)
        {
            if (rest[0] == '[')
            {
                var end = rest.IndexOf(']', StringComparison.Ordinal);
                var index = int.Parse(rest[1..end], System.Globalization.CultureInfo.InvariantCulture);
                node = node is JsonArray array && index < array.Count ? array[index] : null;
                rest = rest[(end + 1)..].TrimStart('.');
                continue;
            }

            if (node is not JsonObject obj)
            {
                return null;
            }

            var name = obj.Select(p => p.Key).Where(k => rest == k || rest.StartsWith(k + ".", StringComparison.Ordinal) || rest.StartsWith(k + "[", StringComparison.Ordinal))
                .OrderByDescending(k => k.Length).FirstOrDefault();
            if (name is null)
            {
                return null;
            }

            node = obj[name];
            rest = rest[name.Length..].TrimStart('.');
        }

        return node;
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
