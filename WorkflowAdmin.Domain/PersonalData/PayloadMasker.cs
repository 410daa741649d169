using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Domain.PersonalData;

/// <summary>
/// Replaces the personal values of step payloads with <see cref="Masked"/>, guided by the step's input or output
/// type: a property marked <see cref="PersonalAttribute"/> has every value inside it masked. What the type cannot
/// vouch for is masked too (fail closed): a property the record does not have (a payload written by an older version
/// of the step), a step or workflow that no longer exists, an open type (<c>object</c>, <c>JsonElement</c>) and a value
/// whose shape does not match the type. Objects keep their keys and arrays their length, so the masked document has
/// the shape of the original and a comparison can take the masked value at any path. JSON nulls stay null.
/// </summary>
public static partial class PayloadMasker
{
    /// <summary>What a masked value becomes: a string, so that any client shows it as text.</summary>
    public const string Masked = "[masked]";

    /// <summary>Masks one step's input JSON; null stays null.</summary>
    public static string? MaskStepInput(WorkflowDefinition? definition, string stepKey, string? json) =>
        Mask(json, StepOf(definition, stepKey)?.InputType);

    /// <summary>Masks one step's output JSON; null stays null.</summary>
    public static string? MaskStepOutput(WorkflowDefinition? definition, string stepKey, string? json) =>
        Mask(json, StepOf(definition, stepKey)?.OutputType);

    /// <summary>Masks a composed workflow input (an object keyed by step key).</summary>
    public static string? MaskInput(WorkflowDefinition? definition, string? json) => MaskComposed(definition, json, s => s.InputType);

    /// <summary>Masks a composed workflow output (an object keyed by step key).</summary>
    public static string? MaskOutput(WorkflowDefinition? definition, string? json) => MaskComposed(definition, json, s => s.OutputType);

    /// <summary>
    /// Masks a payload of type <paramref name="type"/> (null: unknown, so every value is masked). Text that is not
    /// JSON cannot be walked and is masked whole.
    /// </summary>
    public static string? Mask(string? json, Type? type)
    {
        if (json is null)
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(Masked, PayloadSerializer.Options);
        }

        return Text(Mask(node, type));
    }

    /// <summary>A masked copy of <paramref name="node"/>; the node itself is left as it is.</summary>
    public static JsonNode? Mask(JsonNode? node, Type? type) => Walk(node, type, personal: false, collect: null);

    /// <summary>
    /// The string values <paramref name="json"/> holds in personal fields, so that free text about the same execution
    /// (an error message, a stack trace) can be masked where it quotes them (see <see cref="MaskText"/>).
    /// </summary>
    public static void CollectPersonalValues(string? json, Type? type, ISet<string> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (json is null || type is null)
        {
            return;
        }

        try
        {
            Walk(JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }), type, personal: false, collect: into);
        }
        catch (JsonException)
        {
            // Nothing to learn from text that is not JSON; the text itself is masked whole wherever it is shown.
        }
    }

    /// <summary>
    /// Masks free text (error messages, stack traces): every email address, and every value of
    /// <paramref name="personalValues"/> (collected from the same execution's payloads) that it quotes. Names and phone
    /// numbers the payloads do not hold cannot be recognised in free text; decision 0040 says so.
    /// </summary>
    public static string? MaskText(string? text, IEnumerable<string>? personalValues = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Longest first, so a value that contains another is replaced whole. Very short values (a two-letter
        // initial) would mask unrelated words, so they are left to the payload masking.
        foreach (var value in (personalValues ?? []).Where(v => v.Length >= 3).OrderByDescending(v => v.Length))
        {
            text = text.Replace(value, Masked, StringComparison.OrdinalIgnoreCase);
        }

        return EmailAddress().Replace(text, Masked);
    }

    private static string? MaskComposed(WorkflowDefinition? definition, string? json, Func<IWorkflowStep, Type> typeOf)
    {
        if (json is null)
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(Masked, PayloadSerializer.Options);
        }

        if (node is not JsonObject composed)
        {
            return Text(MaskAll(node));
        }

        var result = new JsonObject();
        foreach (var (key, value) in composed)
        {
            var step = StepOf(definition, key);
            result[key] = Walk(value, step is null ? null : typeOf(step), personal: false, collect: null);
        }

        return Text(result);
    }

    /// <summary>
    /// Every string an execution holds in personal fields (composed input and output, each step's payloads), for
    /// <see cref="MaskText"/> of its error messages.
    /// </summary>
    public static IReadOnlySet<string> PersonalValuesOf(WorkflowDefinition? definition, Workflows.WorkflowExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        CollectComposed(definition, execution.InputJson, s => s.InputType, values);
        CollectComposed(definition, execution.OutputJson, s => s.OutputType, values);
        foreach (var step in execution.Steps)
        {
            CollectPersonalValues(step.InputJson, StepOf(definition, step.StepKey)?.InputType, values);
            CollectPersonalValues(step.OutputJson, StepOf(definition, step.StepKey)?.OutputType, values);
        }

        return values;
    }

    /// <summary>Collects personal values from a composed payload (keyed by step).</summary>
    private static void CollectComposed(WorkflowDefinition? definition, string? json, Func<IWorkflowStep, Type> typeOf, ISet<string> into)
    {
        if (json is null || definition is null)
        {
            return;
        }

        try
        {
            if (JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }) is JsonObject composed)
            {
                foreach (var (key, value) in composed)
                {
                    if (StepOf(definition, key) is { } step)
                    {
                        Walk(value, typeOf(step), personal: false, collect: into);
                    }
                }
            }
        }
        catch (JsonException)
        {
        }
    }

    private static IWorkflowStep? StepOf(WorkflowDefinition? definition, string stepKey) =>
        definition?.Steps.FirstOrDefault(s => s.Key == stepKey);

    private static JsonNode? Walk(JsonNode? node, Type? type, bool personal, ISet<string>? collect)
    {
        if (node is null)
        {
            return null;
        }

        if (personal)
        {
            if (collect is not null)
            {
                CollectStrings(node, collect);
            }

            return MaskAll(node);
        }

        if (type is null || IsOpen(type))
        {
            return MaskAll(node);
        }

        var info = PayloadSerializer.Options.GetTypeInfo(type);
        switch (node)
        {
            case JsonObject obj when info.Kind == JsonTypeInfoKind.Object:
                var masked = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    var property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal))
                                   ?? info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                    masked[name] = property is null
                        ? MaskAll(value)
                        : Walk(value, property.PropertyType, IsPersonal(property), collect);
                }

                return masked;
            case JsonObject obj when info.Kind == JsonTypeInfoKind.Dictionary:
                // Keys are kept: they are the record's own names (step keys, SKUs), not values someone typed in.
                var entries = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    entries[name] = Walk(value, info.ElementType, personal: false, collect);
                }

                return entries;
            case JsonArray array when info.Kind == JsonTypeInfoKind.Enumerable:
                return new JsonArray(array.Select(item => Walk(item, info.ElementType, personal: false, collect)).ToArray());
            case JsonValue value when info.Kind == JsonTypeInfoKind.None:
                return value.DeepClone();
            default:
                // The value does not have the type's shape: the type cannot say what is in it.
                return MaskAll(node);
        }
    }

    private static bool IsPersonal(JsonPropertyInfo property) =>
        property.AttributeProvider?.IsDefined(typeof(PersonalAttribute), inherit: true) == true;

    private static bool IsOpen(Type type) =>
        type == typeof(object) || type == typeof(JsonElement) || type == typeof(JsonElement?) || type == typeof(JsonDocument)
        || typeof(JsonNode).IsAssignableFrom(type);

    private static JsonNode? MaskAll(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, MaskAll(p.Value)))),
        JsonArray array => new JsonArray(array.Select(MaskAll).ToArray()),
        JsonValue value when value.GetValueKind() == JsonValueKind.Null => null,
        _ => JsonValue.Create(Masked),
    };

    private static void CollectStrings(JsonNode? node, ISet<string> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    CollectStrings(value, into);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectStrings(item, into);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                into.Add(value.GetValue<string>());
                break;
        }
    }

    private static string Text(JsonNode? node) => node?.ToJsonString(PayloadSerializer.Options) ?? "null";

    // Deliberately loose: a false positive hides a little text, a false negative shows an address.
    [GeneratedRegex(@"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();
}
