using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// The OpenAPI document reduced to what the console's API reference page shows: each operation with its parameters,
/// body and answers, and each schema with its fields. Read from the document's JSON, so the page shows exactly what
/// <c>/openapi/v1.json</c> says.
/// </summary>
public sealed record ApiReference(string Title, string Description, IReadOnlyList<ApiOperation> Operations, IReadOnlyList<ApiSchema> Schemas)
{
    public static ApiReference FromJson(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var info = root["info"];
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in root["paths"]?.AsObject() ?? [])
        {
            foreach (var (method, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                var body = operation["requestBody"]?["content"]?.AsObject().FirstOrDefault();
                operations.Add(new ApiOperation(
                    method.ToUpperInvariant(),
                    path,
                    Text(operation["summary"]),
                    Text(operation["description"]),
                    [.. (operation["parameters"]?.AsArray() ?? []).Select(p => new ApiField(
                        Text(p!["name"]), TypeOf(p["schema"]), p["required"]?.GetValue<bool>() ?? false, Text(p["description"]), Text(p["in"])))],
                    body is { Value: { } content } ? new ApiBody(body.Value.Key, TypeOf(content["schema"]), content["example"]?.ToJsonString(Indented)) : null,
                    [.. (operation["responses"]?.AsObject() ?? []).Select(r => new ApiResponse(
                        r.Key, Text(r.Value?["description"]), r.Value?["content"]?.AsObject().Select(c => TypeOf(c.Value?["schema"])).FirstOrDefault()))]));
            }
        }

        var schemas = (root["components"]?["schemas"]?.AsObject() ?? [])
            .Select(s => new ApiSchema(
                s.Key,
                Text(s.Value?["description"]),
                [.. (s.Value?["properties"]?.AsObject() ?? []).Select(p => new ApiField(
                    p.Key, TypeOf(p.Value), Required(s.Value!).Contains(p.Key), Text(p.Value?["description"]), null))],
                [.. (s.Value?["enum"]?.AsArray() ?? []).Select(e => e?.ToString() ?? "null")]))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        return new ApiReference(Text(info?["title"]), Text(info?["description"]), operations, schemas);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : "";

    private static HashSet<string> Required(JsonNode schema) =>
        [.. (schema["required"]?.AsArray() ?? []).Select(r => r?.GetValue<string>() ?? "")];

    /// <summary>A schema as a short type: "string (date-time)", "integer | null", "ExecutionSummary", "array of StepSummary".</summary>
    public static ApiType TypeOf(JsonNode? schema)
    {
        if (schema is not JsonObject obj)
        {
            return new ApiType("any", null);
        }

        if (obj["$ref"] is { } reference)
        {
            var name = Text(reference).Split('/')[^1];
            return new ApiType(name, name);
        }

        if (obj["type"] is JsonValue single && Text(single) == "array")
        {
            var item = TypeOf(obj["items"]);
            return new ApiType("array of " + item.Text, item.SchemaName);
        }

        var types = obj["type"] switch
        {
            JsonArray many => many.Select(Text).Where(t => t.Length > 0).ToList(),
            JsonValue one => [Text(one)],
            _ => [],
        };
        var text = types.Count == 0 ? (obj["oneOf"] ?? obj["anyOf"]) is JsonArray alternatives
                ? string.Join(" | ", alternatives.Select(a => TypeOf(a).Text))
                : "object"
            : string.Join(" | ", types.Where(t => t != "null").Append(types.Contains("null") ? "null" : null).OfType<string>());
        var format = Text(obj["format"]);
        return new ApiType(format.Length > 0 ? $"{text} ({format})" : text, null);
    }
}

public sealed record ApiOperation(
    string Method, string Path, string Summary, string Description, IReadOnlyList<ApiField> Parameters, ApiBody? Body, IReadOnlyList<ApiResponse> Responses)
{
    public string Anchor => $"op-{Method.ToLowerInvariant()}-{Path.Trim('/').Replace('/', '-').Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal)}";
}

public sealed record ApiField(string Name, ApiType Type, bool Required, string Description, string? In);

public sealed record ApiBody(string MediaType, ApiType Type, string? Example);

public sealed record ApiResponse(string Status, string Description, ApiType? Type);

public sealed record ApiSchema(string Name, string Description, IReadOnlyList<ApiField> Fields, IReadOnlyList<string> Values);

/// <summary>A type as text, and the schema it refers to (for a link), if any.</summary>
public sealed record ApiType(string Text, string? SchemaName);
