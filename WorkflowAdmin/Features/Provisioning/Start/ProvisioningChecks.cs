using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Features.Provisioning.Start;

/// <summary>
/// The form's validation, for every field in one place. The check before submitting runs each step's own
/// validator (the very rules the server applies, so the two cannot drift) plus the form's few rules of its own.
/// The server's verdict comes back as paths; each error is shown at its field for as long as the value it was
/// about is unchanged, and an error that names no field on the form is kept for a notice above it.
/// </summary>
internal sealed partial class ProvisioningChecks
{
    private readonly ProvisioningForm form;
    private readonly Dictionary<Type, IWorkflowStep> steps;
    private readonly Dictionary<string, ServerError> server = new(StringComparer.Ordinal);
    private readonly List<InputError> unplaced = [];

    public ProvisioningChecks(WorkflowDefinition definition, ProvisioningForm form)
    {
        ArgumentNullException.ThrowIfNull(definition);
        this.form = form;
        steps = definition.Steps.ToDictionary(s => s.InputType);
    }

    /// <summary>Server errors whose path names no field of the form (a rule about the whole input, for instance).</summary>
    public IReadOnlyList<InputError> Unplaced => unplaced;

    /// <summary>The validation function MudBlazor calls for <paramref name="field"/>; it reads the form, not the value passed.</summary>
    public Func<T, string?> Rule<T>(FormField field) => _ => MessageFor(field);

    /// <summary>Whether any error of the server's last verdict still applies (its value is unchanged, or it names no field).</summary>
    public bool HasServerErrors => unplaced.Count > 0 || server.Values.Any(e => e.Value == ValueAt(form.InputFor(e.Field.InputType), e.Field));

    public string? MessageFor(FormField field) => ClientError(field) ?? ServerErrorAt(field);

    /// <summary>Every problem the form has now, in form order: what the summary lists as still to do.</summary>
    public IReadOnlyList<(FormField Field, string Message)> Problems()
    {
        var problems = new List<(FormField, string)>();
        foreach (var group in ProvisioningFields.All(form.Admins.Emails.Count).GroupBy(f => f.InputType))
        {
            var errors = ClientErrors(group.Key);
            foreach (var field in group)
            {
                if (errors.FirstOrDefault(e => e.Path == field.Member) is { } error)
                {
                    problems.Add((field, Describe(field, error.Message)));
                }
            }
        }

        return problems;
    }

    /// <summary>Takes the server's errors for the input that was <paramref name="submitted"/>; replaces any earlier ones.</summary>
    public void ShowServerErrors(IEnumerable<InputError> errors, StepValues submitted)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(submitted);
        ClearServerErrors();
        var fields = ProvisioningFields.All(form.Admins.Emails.Count).ToDictionary(FullPath, StringComparer.Ordinal);
        foreach (var error in errors)
        {
            if (fields.TryGetValue(error.Path, out var field))
            {
                var input = submitted.Entries.FirstOrDefault(e => e.Key == steps[field.InputType].Key).Value;
                server.TryAdd(error.Path, new ServerError(field, error.Message, ValueAt(input, field)));
            }
            else
            {
                unplaced.Add(error);
            }
        }
    }

    public void ClearServerErrors()
    {
        server.Clear();
        unplaced.Clear();
    }

    public string FullPath(FormField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return steps[field.InputType].Key + "." + field.Member;
    }

    private string? ClientError(FormField field)
    {
        var error = ClientErrors(field.InputType).FirstOrDefault(e => e.Path == field.Member);
        return error is null ? null : Describe(field, error.Message);
    }

    // The form's own rules come first: they explain a value the step would only see as missing (an unparsable id).
    private IReadOnlyList<InputError> ClientErrors(Type inputType)
    {
        if (form.InputFor(inputType) is not { } input)
        {
            return [];
        }

        var errors = new InputErrors();
        form.CheckFormRules(inputType, errors);
        steps[inputType].Validate(input, errors);
        return errors.All;
    }

    private string? ServerErrorAt(FormField field) =>
        server.TryGetValue(FullPath(field), out var error) && error.Value == ValueAt(form.InputFor(field.InputType), field)
            ? Describe(field, error.Message)
            : null;

    // The member's value as payload JSON, so "unchanged" means exactly what the server would see again.
    private static string ValueAt(object? input, FormField field)
    {
        if (input is null)
        {
            return "(left out)";
        }

        JsonNode? node = JsonNode.Parse(PayloadSerializer.Serialize(input, field.InputType));
        foreach (Match part in PathPart().Matches(field.Member))
        {
            if (part.Groups["index"].Success)
            {
                var index = int.Parse(part.Groups["index"].Value, CultureInfo.InvariantCulture);
                node = node is JsonArray array && index < array.Count ? array[index] : null;
            }
            else
            {
                node = node is JsonObject obj ? obj[part.Groups["name"].Value] : null;
            }
        }

        return node?.ToJsonString() ?? "null";
    }

    // "Expiration date must be after startDate" reads better with the other field's label: "... after start date".
    private string Describe(FormField field, string message)
    {
        var siblings = ProvisioningFields.All(form.Admins.Emails.Count).Where(f => f.InputType == field.InputType).ToDictionary(f => f.Member);
        var text = MemberReference().Replace(message, m => siblings.TryGetValue(m.Value, out var other) ? other.Label.ToLowerInvariant() : m.Value);
        return $"{field.Label} {text}";
    }

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathPart();

    [GeneratedRegex(@"\b[a-z]+[A-Z][A-Za-z]*(\[\d+\])?")]
    private static partial Regex MemberReference();

    private sealed record ServerError(FormField Field, string Message, string Value);
}
