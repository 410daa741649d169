using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Features.Start;

/// <summary>What kind of editor a field of a generated start form gets.</summary>
public enum StartFieldKind
{
    Text,
    WholeNumber,
    Number,
    Boolean,
    Date,
    Choice,
    Group,
    List,

    /// <summary>A shape the form has no editor for (a map, a union): edited as JSON text, checked by the engine.</summary>
    Json,
}

/// <summary>
/// One field of a start form generated from a step's input JSON Schema (<see cref="PayloadSerializer.InputSchema"/>),
/// holding what the user typed. It turns itself into the step's input JSON and back (to prefill from an earlier
/// execution); every rule beyond the field's type is the step's own, checked by the engine at the field's path.
/// </summary>
public sealed class StartFormField
{
    private StartFormField(string name, string label, StartFieldKind kind, bool nullable, JsonObject schema)
    {
        Name = name;
        Label = label;
        Kind = kind;
        Nullable = nullable;
        Schema = schema;
    }

    /// <summary>The JSON property name; empty for a list's item.</summary>
    public string Name { get; }

    public string Label { get; }

    public StartFieldKind Kind { get; }

    /// <summary>The input accepts null here, so an empty field is sent as null rather than reported missing.</summary>
    public bool Nullable { get; }

    public IReadOnlyList<string> Choices { get; private init; } = [];

    /// <summary>An object's fields, in schema order.</summary>
    public IReadOnlyList<StartFormField> Fields { get; private init; } = [];

    /// <summary>A list's items, each built from the item schema.</summary>
    public List<StartFormField> Items { get; } = [];

    public string? Text { get; set; }

    public decimal? Number { get; set; }

    public bool Flag { get; set; }

    public DateTime? Date { get; set; }

    private JsonObject Schema { get; }

    /// <summary>The editor tree for one step's input schema (an object).</summary>
    public static StartFormField ForStep(IWorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return From("", step.DisplayName, PayloadSerializer.InputSchema(step) as JsonObject ?? []);
    }

    public static StartFormField From(string name, string label, JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var types = schema["type"] switch
        {
            JsonValue one when one.GetValueKind() == JsonValueKind.String => [one.GetValue<string>()],
            JsonArray many => many.Select(t => t?.GetValue<string>()).OfType<string>().ToList(),
            _ => new List<string>(),
        };
        var nullable = types.Contains("null");
        var main = types.FirstOrDefault(t => t != "null");
        if (schema["enum"] is JsonArray values)
        {
            return new StartFormField(name, label, StartFieldKind.Choice, nullable || values.Any(v => v is null), schema)
            {
                Choices = [.. values.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())],
            };
        }

        switch (main)
        {
            case "string":
                var format = schema["format"]?.GetValue<string>();
                return new StartFormField(name, label, format is "date-time" or "date" ? StartFieldKind.Date : StartFieldKind.Text, nullable, schema);
            case "integer":
                return new StartFormField(name, label, StartFieldKind.WholeNumber, nullable, schema);
            case "number":
                return new StartFormField(name, label, StartFieldKind.Number, nullable, schema);
            case "boolean":
                return new StartFormField(name, label, StartFieldKind.Boolean, nullable, schema);
            case "object" when schema["properties"] is JsonObject or null && schema["additionalProperties"] is not JsonObject:
                return new StartFormField(name, label, StartFieldKind.Group, nullable, schema)
                {
                    Fields = [.. (schema["properties"] as JsonObject ?? []).Select(p => From(p.Key, Humanize(p.Key), p.Value as JsonObject ?? []))],
                };
            case "array" when schema["items"] is JsonObject:
                return new StartFormField(name, label, StartFieldKind.List, nullable, schema);
            default:
                return new StartFormField(name, label, StartFieldKind.Json, nullable, schema);
        }
    }

    /// <summary>Adds an empty item to a list and returns it.</summary>
    public StartFormField AddItem()
    {
        var item = From("", $"{Singular(Label)} {Items.Count + 1}", (JsonObject)Schema["items"]!);
        Items.Add(item);
        return item;
    }

    public void RemoveItem(StartFormField item) => Items.Remove(item);

    /// <summary>Fills the field from stored input JSON (an earlier execution's); what does not fit is left empty.</summary>
    public void Load(JsonNode? value)
    {
        switch (Kind)
        {
            case StartFieldKind.Text:
                Text = value is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : value?.ToJsonString();
                break;
            case StartFieldKind.Choice:
                Text = value is JsonValue choice && choice.GetValueKind() == JsonValueKind.String ? choice.GetValue<string>() : null;
                break;
            case StartFieldKind.WholeNumber or StartFieldKind.Number:
                Number = value is JsonValue number && number.GetValueKind() == JsonValueKind.Number ? number.GetValue<decimal>() : null;
                break;
            case StartFieldKind.Boolean:
                Flag = value is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
                break;
            case StartFieldKind.Date:
                Date = value is JsonValue date && date.GetValueKind() == JsonValueKind.String
                       && DateTime.TryParse(date.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed.Date
                    : null;
                break;
            case StartFieldKind.Group:
                foreach (var field in Fields)
                {
                    field.Load(value is JsonObject obj ? obj[field.Name] : null);
                }

                break;
            case StartFieldKind.List:
                Items.Clear();
                foreach (var element in value as JsonArray ?? [])
                {
                    AddItem().Load(element);
                }

                break;
            default:
                Text = value?.ToJsonString(PayloadSerializer.IndentedOptions);
                break;
        }
    }

    /// <summary>
    /// The field as input JSON. A value the form cannot send (an empty number the input requires, text that is not
    /// JSON) is reported at its path in <paramref name="errors"/> and left out, so the engine still checks the rest.
    /// </summary>
    /// <returns>False when the field is left out.</returns>
    public bool TryToJson(string path, List<InputError> errors, ICollection<string> paths, out JsonNode? node)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(paths);
        paths.Add(path);
        node = null;
        switch (Kind)
        {
            case StartFieldKind.Text:
                node = Nullable && string.IsNullOrEmpty(Text) ? null : JsonValue.Create(Text ?? "");
                return true;
            case StartFieldKind.Choice:
                if (string.IsNullOrEmpty(Text))
                {
                    return Nullable || Missing(path, errors);
                }

                node = JsonValue.Create(Text);
                return true;
            case StartFieldKind.WholeNumber or StartFieldKind.Number:
                if (Number is not { } number)
                {
                    return Nullable || Missing(path, errors);
                }

                if (Kind == StartFieldKind.WholeNumber && number != decimal.Truncate(number))
                {
                    errors.Add(new InputError(path, "must be a whole number"));
                    return false;
                }

                node = Kind == StartFieldKind.WholeNumber ? JsonValue.Create((long)number) : JsonValue.Create(number);
                return true;
            case StartFieldKind.Boolean:
                node = JsonValue.Create(Flag);
                return true;
            case StartFieldKind.Date:
                if (Date is not { } day)
                {
                    return Nullable || Missing(path, errors);
                }

                // A day, written as an API client writes one (ISO 8601 date), so the engine reads it the same way.
                node = JsonValue.Create(day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return true;
            case StartFieldKind.Group:
                var obj = new JsonObject();
                foreach (var field in Fields)
                {
                    if (field.TryToJson(Join(path, field.Name), errors, paths, out var value))
                    {
                        obj[field.Name] = value;
                    }
                }

                node = obj;
                return true;
            case StartFieldKind.List:
                var array = new JsonArray();
                for (var i = 0; i < Items.Count; i++)
                {
                    // A placeholder keeps the indexes of the engine's errors equal to the rows on screen.
                    array.Add(Items[i].TryToJson($"{path}[{i}]", errors, paths, out var item) ? item : null);
                }

                node = array;
                return true;
            default:
                if (string.IsNullOrWhiteSpace(Text))
                {
                    return Nullable || Missing(path, errors);
                }

                try
                {
                    node = JsonNode.Parse(Text);
                    return true;
                }
                catch (JsonException)
                {
                    errors.Add(new InputError(path, "is not valid JSON"));
                    return false;
                }
        }
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>"orderNumber" → "Order number".</summary>
    public static string Humanize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(text.Length == 0 ? char.ToUpperInvariant(c) : c);
            }
        }

        return text.ToString();
    }

    private static bool Missing(string path, List<InputError> errors)
    {
        errors.Add(new InputError(path, "is required"));
        return false;
    }

    private static string Singular(string label) => label.EndsWith('s') ? label[..^1] : label;
}
