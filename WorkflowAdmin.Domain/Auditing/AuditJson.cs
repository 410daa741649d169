using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowAdmin.Domain.Auditing;

/// <summary>How before/after values are written into the trail: compact, camelCase, stable.</summary>
internal static class AuditJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Serialize(object value) => value switch
    {
        string text => text,
        JsonNode node => node.ToJsonString(Options),
        _ => JsonSerializer.Serialize(value, value.GetType(), Options),
    };
}
