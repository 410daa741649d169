using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;

namespace WorkflowAdmin.Features.Provisioning.Api;

/// <summary>
/// Maps the provisioning request, in the reference system's shape (enterprise customer, pending admins, catalog,
/// agreement, trial and first paid plan, plus an optional subsidy), onto the provision-customer workflow's composed
/// input, and maps every validation error back to the request's own field path. Validation is the engine's
/// (<see cref="PayloadSerializer.ParseInput(WorkflowDefinition, JsonObject)"/>), the same rules the console form
/// meets; what is checked here is only what the engine cannot see: the request's shape, unknown fields, and each
/// field's type on its own, so that one mistyped field does not hide the errors in the fields beside it.
/// </summary>
internal static class ProvisioningRequest
{
    public const string WorkflowKey = ProvisioningWorkflow.WorkflowKey;

    public const string PendingAdmins = "pendingAdmins";
    private const string AdminEmail = "userEmail";
    private const string AdminsStep = ProvisioningSteps.CreateAdmins;
    private const string AdminsField = "userEmails";

    /// <summary>Each request section, the step it feeds and its fields (request name → step input name), in request order.</summary>
    public static IReadOnlyList<Section> Sections { get; } =
    [
        new("enterpriseCustomer", ProvisioningSteps.CreateCustomer, [("name", "name"), ("slug", "slug"), ("country", "country")]),
        new(PendingAdmins, AdminsStep, [(AdminEmail, AdminsField)]),
        new("enterpriseCatalog", ProvisioningSteps.CreateCatalog, [("title", "title"), ("catalogQueryId", "catalogQueryId")]),
        new("customerAgreement", ProvisioningSteps.CreateCustomerAgreement, [("defaultCatalogUuid", "defaultCatalogId")]),
        new("trialSubscriptionPlan", ProvisioningSteps.CreateTrialPlan,
        [
            ("title", "title"), ("salesforceOpportunityLineItem", "salesforceLineItem"), ("startDate", "startDate"),
            ("expirationDate", "expirationDate"), ("desiredNumLicenses", "desiredNumLicenses"), ("productId", "productId"),
            ("enterpriseCatalogUuid", "catalogId"),
        ]),
        new("firstPaidSubscriptionPlan", ProvisioningSteps.CreateFirstPaidPlan,
        [
            ("title", "title"), ("salesforceOpportunityLineItem", "salesforceLineItem"), ("startDate", "startDate"),
            ("expirationDate", "expirationDate"), ("productId", "productId"), ("enterpriseCatalogUuid", "catalogId"),
        ]),
        new("subsidy", ProvisioningSteps.CreateSubsidy,
        [
            ("title", "title"), ("startingBalanceCents", "startingBalanceCents"), ("currency", "currency"),
            ("startDate", "startDate"), ("expirationDate", "expirationDate"),
        ]),
    ];

    /// <summary>The validated workflow input, or every error with its path in the request.</summary>
    /// <exception cref="InputValidationException">Anything is wrong; the errors carry request paths.</exception>
    public static ValidatedInput Validate(WorkflowDefinition definition, JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(request);
        var shapeErrors = new List<InputError>();
        var composed = new JsonObject();
        foreach (var (name, _) in request)
        {
            if (Sections.All(s => s.Name != name))
            {
                shapeErrors.Add(new InputError(name, "is not a known field"));
            }
        }

        foreach (var section in Sections)
        {
            // A null section is an absent one (the reference allows null for the optional sections).
            if (request[section.Name] is not { } node)
            {
                continue;
            }

            var stepInput = section.Name == PendingAdmins
                ? MapAdmins(node, shapeErrors)
                : MapObject(section, node, definition.GetStep(section.StepKey), shapeErrors);
            if (stepInput is not null)
            {
                composed[section.StepKey] = stepInput;
            }
        }

        ValidatedInput? input = null;
        var engineErrors = new List<InputError>();
        try
        {
            input = PayloadSerializer.ParseInput(definition, composed);
        }
        catch (InputValidationException ex)
        {
            // A field refused for its shape or type is not reported again as missing or invalid by the engine.
            engineErrors.AddRange(ex.Errors.Select(ToRequestPath).Where(e => !shapeErrors.Any(s => IsWithin(e.Path, s.Path))));
        }

        if (input is not null && shapeErrors.Count == 0)
        {
            return input;
        }

        throw new InputValidationException(
            [.. shapeErrors.Concat(engineErrors).OrderBy(e => Order(e.Path)).ThenBy(e => e.Path, StringComparer.Ordinal)]);
    }

    private static JsonObject? MapObject(Section section, JsonNode node, IWorkflowStep step, List<InputError> errors)
    {
        if (node is not JsonObject fields)
        {
            errors.Add(new InputError(section.Name, "must be an object"));
            return null;
        }

        var properties = PayloadSerializer.Options.GetTypeInfo(step.InputType).Properties;
        var stepInput = new JsonObject();
        foreach (var (name, value) in fields)
        {
            var path = $"{section.Name}.{name}";
            var target = section.Fields.FirstOrDefault(f => f.Request == name).Step;
            if (target is null)
            {
                errors.Add(new InputError(path, "is not a known field"));
                continue;
            }

            var type = properties.Single(p => p.Name == target).PropertyType;
            if (TypeError(value, type) is { } message)
            {
                errors.Add(new InputError(path, message));
                continue;
            }

            stepInput[target] = value?.DeepClone();
        }

        return stepInput;
    }

    // pendingAdmins: [{ "userEmail": "…" }] becomes create-admins: { "userEmails": ["…"] }, index for index.
    private static JsonObject? MapAdmins(JsonNode node, List<InputError> errors)
    {
        if (node is not JsonArray items)
        {
            errors.Add(new InputError(PendingAdmins, "must be an array"));
            return null;
        }

        var emails = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{PendingAdmins}[{i}]";
            JsonNode? email = null;
            if (items[i] is not JsonObject item)
            {
                errors.Add(new InputError(path, "must be an object"));
            }
            else
            {
                foreach (var (name, _) in item.Where(p => p.Key != AdminEmail))
                {
                    errors.Add(new InputError($"{path}.{name}", "is not a known field"));
                }

                email = item[AdminEmail];
                if (TypeError(email, typeof(string)) is { } message)
                {
                    errors.Add(new InputError($"{path}.{AdminEmail}", message));
                    email = null;
                }
            }

            // A placeholder keeps the indexes of the engine's errors equal to the request's.
            emails.Add(email?.DeepClone());
        }

        return new JsonObject { [AdminsField] = emails };
    }

    private static string? TypeError(JsonNode? value, Type type)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            JsonSerializer.Deserialize(value, type, PayloadSerializer.Options);
            return null;
        }
        catch (JsonException)
        {
            return Expectation(Nullable.GetUnderlyingType(type) ?? type);
        }
    }

    // The engine's own words for the same mistakes (PayloadSerializer).
    private static string Expectation(Type type) =>
        type == typeof(string) ? "must be a string"
        : type == typeof(int) || type == typeof(long) ? "must be a whole number"
        : type == typeof(DateTime) ? "must be a date (ISO 8601, e.g. 2026-01-31)"
        : type == typeof(Guid) ? "must be a UUID"
        : type == typeof(bool) ? "must be true or false"
        : "has an invalid value";

    /// <summary>"create-trial-plan.salesforceLineItem" → "trialSubscriptionPlan.salesforceOpportunityLineItem".</summary>
    private static InputError ToRequestPath(InputError error)
    {
        var path = error.Path;
        var cut = path.IndexOfAny(['.', '[']);
        var stepKey = cut < 0 ? path : path[..cut];
        var rest = cut < 0 ? "" : path[cut..].TrimStart('.');
        if (Sections.FirstOrDefault(s => s.StepKey == stepKey) is not { } section)
        {
            return error;
        }

        if (rest.Length == 0)
        {
            return error with { Path = section.Name };
        }

        var fieldEnd = rest.IndexOfAny(['.', '[']);
        var field = fieldEnd < 0 ? rest : rest[..fieldEnd];
        var suffix = fieldEnd < 0 ? "" : rest[fieldEnd..];
        if (section.Name == PendingAdmins && field == AdminsField)
        {
            // userEmails[2] → pendingAdmins[2].userEmail; userEmails → pendingAdmins.
            return error with { Path = suffix.Length == 0 ? PendingAdmins : $"{PendingAdmins}{suffix}.{AdminEmail}" };
        }

        var request = section.Fields.FirstOrDefault(f => f.Step == field).Request ?? field;
        return error with { Path = $"{section.Name}.{request}{suffix}" };
    }

    private static bool IsWithin(string path, string parent) =>
        path == parent || path.StartsWith(parent + ".", StringComparison.Ordinal) || path.StartsWith(parent + "[", StringComparison.Ordinal);

    private static int Order(string path)
    {
        var index = Sections.ToList().FindIndex(s => IsWithin(path, s.Name));
        return index < 0 ? int.MaxValue : index;
    }

    public sealed record Section(string Name, string StepKey, IReadOnlyList<(string Request, string Step)> Fields);
}
