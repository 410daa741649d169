using System.Text.Json.Nodes;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>One value that differs between two JSON documents, by path ("customer.name", "admins[1]").</summary>
public sealed record JsonChange(string Path, string? Before, string? After);

/// <summary>Leaf-by-leaf differences between two JSON documents: what an edited re-run input changed, for the audit trail.</summary>
public static class JsonDiff
{
    public static IReadOnlyList<JsonChange> Compare(string? beforeJson, string? afterJson)
    {
        var changes = new List<JsonChange>();
        Walk("", Parse(beforeJson), Parse(afterJson), changes);
        return changes;
    }

    private static JsonNode? Parse(string? json) => string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json);

    private static void Walk(string path, JsonNode? before, JsonNode? after, List<JsonChange> changes)
    {
        switch (before, after)
        {
            case (JsonObject b, JsonObject a):
                foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key), StringComparer.Ordinal))
                {
                    Walk(path.Length == 0 ? key : $"{path}.{key}", b[key], a[key], changes);
                }

                break;
            case (JsonArray b, JsonArray a):
                for (var i = 0; i < Math.Max(b.Count, a.Count); i++)
                {
                    Walk($"{path}[{i}]", i < b.Count ? b[i] : null, i < a.Count ? a[i] : null, changes);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(before, after))
                {
                    changes.Add(new JsonChange(path.Length == 0 ? "$" : path, before?.ToJsonString(), after?.ToJsonString()));
                }

                break;
        }
    }
}
