using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// The one place where payload JSON is produced and parsed: camelCase, enums as strings, unknown properties
/// rejected (a typo in an input must not be silently ignored). Stored JSON is always re-serialised from the typed
/// records, so equal values give equal text.
/// </summary>
public static partial class PayloadSerializer
{
    public static JsonSerializerOptions Options { get; } = CreateOptions(indented: false);

    public static JsonSerializerOptions IndentedOptions { get; } = CreateOptions(indented: true);

    public static string Serialize(object? value, Type type) => JsonSerializer.Serialize(value, type, Options);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static object? Deserialize(string json, Type type) => JsonSerializer.Deserialize(json, type, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Expected {typeof(T).Name}, found null.");

    /// <summary>
    /// The JSON Schema of a step's input record, generated from its type with the options that parse it, so the
    /// schema and the parser cannot disagree on names, enums or unknown fields. Rules a step checks in code
    /// (<see cref="IWorkflowStep.Validate"/>) are not in it.
    /// </summary>
    public static JsonNode InputSchema(IWorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Options.GetJsonSchemaAsNode(step.InputType, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
    }

    /// <summary>Pretty-prints stored JSON for people to read.</summary>
    public static string Indent(string json) => JsonNode.Parse(json)?.ToJsonString(IndentedOptions) ?? "null";

    /// <summary>
    /// Parses and validates a composed workflow input (an object keyed by step key). Every problem is reported
    /// with its path; nothing is returned unless the whole input is valid.
    /// </summary>
    public static ValidatedInput ParseInput(WorkflowDefinition definition, string json)
    {
        ArgumentNullException.ThrowIfNull(definition);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json ?? "") as JsonObject
                   ?? throw InputValidationException.At("$", "must be a JSON object keyed by step");
        }
        catch (JsonException ex)
        {
            throw InputValidationException.At("$", $"is not valid JSON ({ex.Message})");
        }

        return ParseInput(definition, root);
    }

    public static ValidatedInput ParseInput(WorkflowDefinition definition, JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(root);
        var errors = new InputErrors();
        foreach (var unknown in root.Select(p => p.Key).Where(k => definition.Steps.All(s => s.Key != k)))
        {
            errors.Add(unknown, $"is not a step of workflow '{definition.Key}'");
        }

        var values = new StepValues();
        foreach (var step in definition.Steps)
        {
            var stepErrors = errors.For(step.Key);
            var node = root[step.Key];
            if (node is null)
            {
                switch (step.InputPresence)
                {
                    case StepInputPresence.Optional:
                        values.Add(step.Key, null);
                        continue;
                    case StepInputPresence.Required:
                        stepErrors.Add("", "is required");
                        continue;
                    default:
                        node = new JsonObject();
                        break;
                }
            }

            if (node is not JsonObject)
            {
                stepErrors.Add("", "must be an object");
                continue;
            }

            object? input;
            try
            {
                input = node.Deserialize(step.InputType, Options);
            }
            catch (JsonException ex)
            {
                var (path, message) = Describe(ex);
                stepErrors.Add(path, message);
                continue;
            }

            if (input is null)
            {
                stepErrors.Add("", "must be an object");
                continue;
            }

            step.Validate(input, stepErrors);
            RejectNul(node, stepErrors, "");
            values.Add(step.Key, input);
        }

        if (errors.Any)
        {
            throw new InputValidationException(errors.All);
        }

        var stepJson = values.Entries.ToDictionary(
            e => e.Key,
            e => Serialize(e.Value, definition.GetStep(e.Key).InputType));
        var composed = new JsonObject();
        foreach (var (key, text) in stepJson)
        {
            composed[key] = JsonNode.Parse(text);
        }

        return new ValidatedInput(definition.Key, definition.Version, values, stepJson, composed.ToJsonString(Options), definition.GetBusinessKey(values), definition.GetSubjectName(values));
    }

    /// <summary>
    /// Builds a workflow input from typed step inputs (what a form produces): each under its step key, in step
    /// order. A null value is left out, which is how an optional step is skipped. The result still has to pass
    /// <see cref="ParseInput(WorkflowDefinition, string)"/>; composing validates nothing.
    /// </summary>
    public static string ComposeInput(WorkflowDefinition definition, StepValues inputs)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var (key, _) in inputs.Entries)
        {
            _ = definition.GetStep(key); // a value for a step the workflow does not have is a programming error
        }

        var composed = new JsonObject();
        foreach (var step in definition.Steps)
        {
            if (inputs.Entries.FirstOrDefault(e => e.Key == step.Key).Value is { } value)
            {
                composed[step.Key] = JsonSerializer.SerializeToNode(value, step.InputType, Options);
            }
        }

        return composed.ToJsonString(Options);
    }

    /// <summary>Builds a workflow's output: every step's output under its step key, in step order.</summary>
    public static string ComposeOutput(WorkflowDefinition definition, StepValues outputs)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(outputs);
        var composed = new JsonObject();
        foreach (var (key, value) in outputs.Entries)
        {
            composed[key] = JsonSerializer.SerializeToNode(value, definition.GetStep(key).OutputType, Options);
        }

        return composed.ToJsonString(Options);
    }

    // System.Text.Json reports the first problem of an object with a JSONPath and a CLR-flavoured message;
    // turn that into a step-relative path and words an operator understands.
    private static (string Path, string Message) Describe(JsonException ex)
    {
        var path = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
        var unmapped = UnmappedProperty().Match(ex.Message);
        if (unmapped.Success)
        {
            // Newer System.Text.Json versions already put the offending property at the end of the path.
            var property = unmapped.Groups[1].Value;
            var full = path == property || path.EndsWith("." + property, StringComparison.Ordinal) ? path : Join(path, property);
            return (full, "is not a known field");
        }

        var message = ex.Message switch
        {
            var m when m.Contains("System.DateTime", StringComparison.Ordinal) => "must be a date (ISO 8601, e.g. 2026-01-31)",
            var m when m.Contains("System.Guid", StringComparison.Ordinal) => "must be a UUID",
            var m when m.Contains("System.Int", StringComparison.Ordinal) => "must be a whole number",
            var m when m.Contains("System.Boolean", StringComparison.Ordinal) => "must be true or false",
            var m when m.Contains("System.String", StringComparison.Ordinal) => "must be a string",
            var m when m.Contains("System.Collections", StringComparison.Ordinal) || m.Contains("[]", StringComparison.Ordinal) => "must be an array",
            _ => "has an invalid value",
        };
        return (path, message);
    }

    private static string Join(string path, string property) => path.Length == 0 ? property : path + "." + property;

    // No field means U+0000, and PostgreSQL cannot store it in text: refuse it at its path now, rather than accept the
    // input and fail in a step with the database's error (decision 0014).
    private static void RejectNul(JsonNode? node, InputErrors errors, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    RejectNul(value, errors, Join(path, name));
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    RejectNul(array[i], errors, $"{path}[{i}]");
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Contains('\0', StringComparison.Ordinal):
                errors.Add(path, "must not contain the NUL character (U+0000)");
                break;
        }
    }

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,

            // Indented JSON is for people (the console, downloads): show "<" and "ü" as themselves. It is never
            // embedded in HTML or script unencoded; the console renders it as text.
            Encoder = indented ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : null,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    [GeneratedRegex("property '([^']+)' could not be mapped")]
    private static partial Regex UnmappedProperty();
}

/// <summary>
/// A workflow input that passed validation, with each step's canonical input JSON. Only
/// <see cref="PayloadSerializer.ParseInput(WorkflowDefinition, JsonObject)"/> makes one, so a service that is handed
/// one need not parse and check it again; it names the workflow (and version) it was checked against.
/// </summary>
public sealed record ValidatedInput
{
    internal ValidatedInput(
        string workflowKey, int workflowVersion, StepValues values, IReadOnlyDictionary<string, string> stepInputJson, string composedJson, string? businessKey,
        string? subjectName)
    {
        WorkflowKey = workflowKey;
        WorkflowVersion = workflowVersion;
        Values = values;
        StepInputJson = stepInputJson;
        ComposedJson = composedJson;
        BusinessKey = businessKey;
        SubjectName = subjectName;
    }

    public string WorkflowKey { get; }

    public int WorkflowVersion { get; }

    public StepValues Values { get; }

    public IReadOnlyDictionary<string, string> StepInputJson { get; }

    public string ComposedJson { get; }

    public string? BusinessKey { get; }

    /// <summary>Whom the execution is about (a customer's name, say), for search.</summary>
    public string? SubjectName { get; }

    /// <summary>True when this input was checked against <paramref name="definition"/> as it is now.</summary>
    public bool IsFor(WorkflowDefinition definition) =>
        definition is not null && definition.Key == WorkflowKey && definition.Version == WorkflowVersion;
}
