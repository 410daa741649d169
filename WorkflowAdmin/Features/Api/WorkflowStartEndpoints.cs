using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// <c>POST /api/v1/workflows/{key}/executions</c>: starts any registered workflow from its composed input (an object
/// keyed by step key), answering <c>202 Accepted</c> with the execution and where to follow it. The provisioning
/// endpoint is a typed facade over the same path (<see cref="StartAsync"/>): the same idempotency, scopes and errors.
/// </summary>
internal static class WorkflowStartEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static RouteGroupBuilder MapWorkflowStartEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/workflows/{key}/executions", StartAnyAsync)
            .RequireAuthorization(ApiPolicies.Trigger)
            .AddOpenApiOperationTransformer(DescribeRequest)
            .WithName("StartExecution")
            .WithSummary("Start an execution of a workflow")
            .WithDescription(
                "Starts the workflow named by key with the given input: an object with one entry per step key, each shaped as that step's " +
                "inputSchema in GET /api/v1/workflows (a step whose input is Optional may be left out, which skips it). " +
                "Answers 202 with the execution and a Location to follow it (GET it, or long-poll with ?wait=30). " +
                "Send an Idempotency-Key header to make retries safe: the same key with the same input returns the original execution " +
                "(200, Idempotent-Replayed: true) for at least 24 hours; the same key with a different input is refused (409). " +
                "Invalid input answers 400 with every field error under its path (step key, then field, e.g. create-customer.slug); nothing is created. " +
                "An unknown workflow answers 404; a key whose trigger scope does not name this workflow answers 403.")
            .Produces<ExecutionSummary>(StatusCodes.Status202Accepted)
            .Produces<ExecutionSummary>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    /// <summary>The Idempotency-Key header as the OpenAPI document describes it, for every endpoint that starts executions.</summary>
    public static OpenApiParameter IdempotencyParameter() => new()
    {
        Name = IdempotencyHeader,
        In = ParameterLocation.Header,
        Required = false,
        Description = "Makes retries safe: the same key and body return the original execution for at least 24 hours. " +
                      $"1 to {IdempotencyRecord.MaxKeyLength} printable ASCII characters, e.g. a UUID.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyRecord.MaxKeyLength },
    };

    // The body is read by hand (JsonBody), so it is described here: as any registered workflow's input until the
    // document transformer below names each workflow's own (DescribeWorkflowInputsAsync, decision 0041).
    private static Task DescribeRequest(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var registry = context.ApplicationServices.GetRequiredService<WorkflowRegistry>();
        if (operation.Parameters?.OfType<OpenApiParameter>().SingleOrDefault(p => p.Name == "key" && p.In == ParameterLocation.Path) is { } key)
        {
            key.Description = "The workflow's key, as listed by GET /api/v1/workflows.";
            key.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. registry.All.Select(w => w.Key).Order(StringComparer.Ordinal).Select(k => (JsonNode)JsonValue.Create(k))],
            };
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = $"JSON, at most {JsonBody.MaxBytes / 1024} KB: the workflow's input, one object per step key.",
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "Keyed by step key; each value is that step's input (its inputSchema in GET /api/v1/workflows).",
                        AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Object },
                    },
                },
            },
        };
        operation.Parameters ??= [];
        operation.Parameters.Add(IdempotencyParameter());
        return Task.CompletedTask;
    }

    /// <summary>The path of the generic start operation in the OpenAPI document.</summary>
    public const string StartPath = ApiSetup.BasePath + "/workflows/{key}/executions";

    /// <summary>The name of a workflow's input schema in the document's components: <c>provision-customer</c> → <c>ProvisionCustomerInput</c>.</summary>
    public static string InputSchemaName(string workflowKey) =>
        string.Concat(workflowKey.Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpperInvariant(part[0]) + part[1..])) + "Input";

    /// <summary>
    /// Gives every registered workflow its input schema in the OpenAPI document (decision 0041): a named component
    /// composed from its steps' input schemas, the very schemas GET /api/v1/workflows serves and the generated form
    /// reads (PayloadSerializer.InputSchema), so the three cannot disagree. Each workflow also gets its own operation
    /// at its concrete address (<c>POST /api/v1/workflows/provision-customer/executions</c>, operationId
    /// <c>StartProvisionCustomer</c>) whose body is exactly that schema, so a generated client has a typed method per
    /// workflow; the generic operation keeps the key parameter and takes any of them.
    /// </summary>
    public static Task DescribeWorkflowInputsAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        if (document.Paths?.GetValueOrDefault(StartPath)?.Operations?.GetValueOrDefault(HttpMethod.Post) is not { } generic)
        {
            return Task.CompletedTask;
        }

        var registry = context.ApplicationServices.GetRequiredService<WorkflowRegistry>();
        var inputs = new List<IOpenApiSchema>();
        foreach (var workflow in registry.All.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            var name = InputSchemaName(workflow.Key);
            document.AddComponent(name, InputSchema(workflow, document));
            var input = new OpenApiSchemaReference(name, document);
            inputs.Add(input);

            var operation = new OpenApiOperation
            {
                OperationId = "Start" + name[..^"Input".Length],
                Summary = $"Start an execution of {workflow.DisplayName}",
                Description = $"The start operation for the workflow '{workflow.Key}' with its input typed: the same as POST {StartPath} with key={workflow.Key}. " +
                              generic.Description,
                Tags = generic.Tags,
                Security = generic.Security,
                Responses = generic.Responses,
                Parameters = [.. (generic.Parameters ?? []).Where(p => !(p.Name == "key" && p.In == ParameterLocation.Path))],
                RequestBody = Body(input, $"JSON, at most {JsonBody.MaxBytes / 1024} KB: the input of {workflow.DisplayName}, one entry per step key."),
            };
            var path = new OpenApiPathItem();
            path.AddOperation(HttpMethod.Post, operation);
            document.Paths[StartPath.Replace("{key}", workflow.Key, StringComparison.Ordinal)] = path;
        }

        generic.RequestBody = Body(
            new OpenApiSchema { AnyOf = inputs, Description = "The input of the workflow named by key: one of the workflows' input schemas, by key." },
            $"JSON, at most {JsonBody.MaxBytes / 1024} KB: the workflow's input, one object per step key (see the workflow's own operation for its schema).");
        return Task.CompletedTask;
    }

    private static OpenApiRequestBody Body(IOpenApiSchema schema, string description) => new()
    {
        Required = true,
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new() { Schema = schema } },
    };

    // One property per step, each the step's own input schema; a step whose missing entry is an error is required,
    // and any other property is refused, as the parser refuses it.
    private static OpenApiSchema InputSchema(WorkflowDefinition workflow, OpenApiDocument document)
    {
        var properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach (var step in workflow.Steps)
        {
            var json = PayloadSerializer.InputSchema(step).ToJsonString();
            var schema = OpenApiModelFactory.Parse<OpenApiSchema>(json, OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic, "json");
            if (schema is null || diagnostic?.Errors.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The input schema of step '{step.Key}' of workflow '{workflow.Key}' is not one the OpenAPI document can hold: " +
                    string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? []));
            }

            schema.Description = step.InputPresence switch
            {
                StepInputPresence.Optional => $"{step.DisplayName}. Optional: leaving it out skips the step.",
                StepInputPresence.DefaultsToEmpty => $"{step.DisplayName}. May be left out, which means {{}}.",
                _ => $"{step.DisplayName}.",
            };
            properties[step.Key] = schema;
        }

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = $"The input of {workflow.DisplayName} ({workflow.Key}, version {workflow.Version}): one entry per step key.",
            Properties = properties,
            Required = new HashSet<string>(workflow.Steps.Where(s => s.InputPresence == StepInputPresence.Required).Select(s => s.Key), StringComparer.Ordinal),
            AdditionalPropertiesAllowed = false,
        };
    }

    private static async Task<IResult> StartAnyAsync(string key, HttpContext http, WorkflowRegistry workflows, CancellationToken cancellationToken)
    {
        if (!workflows.TryGet(key, out var definition))
        {
            return ApiProblems.NotFound($"There is no workflow '{key}'. GET /api/v1/workflows lists the workflows.");
        }

        if (ReadIdempotencyKey(http.Request, out var idempotencyKey) is { } keyProblem)
        {
            return keyProblem;
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        // Parsed and validated once; the services take the validated input as it is.
        ValidatedInput input;
        try
        {
            input = PayloadSerializer.ParseInput(definition!, body);
        }
        catch (InputValidationException ex)
        {
            return ApiProblems.Validation(ex.Errors);
        }

        return await StartAsync(http, idempotencyKey, definition!, input, cancellationToken);
    }

    /// <summary>
    /// Starts (or, under an Idempotency-Key, replays) an execution of a validated input and answers as both start
    /// endpoints do. The workflow's admissions (<see cref="IStartAdmission"/>) may refuse it (409) before anything is
    /// written; a replay comes first, so a retry gets the execution it started even if it would no longer be admitted.
    /// </summary>
    public static async Task<IResult> StartAsync(
        HttpContext http, string? idempotencyKey, WorkflowDefinition definition, ValidatedInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(definition);
        var caller = ApiCaller.From(http);
        var services = http.RequestServices;

        // Permission first, so a key that may not start this workflow learns nothing from an admission's answer.
        caller.Actor.Demand(Permission.TriggerExecution, definition.Key);
        if (idempotencyKey is null)
        {
            if (await RefusedAsync(services, definition, input, caller, cancellationToken) is { } refusedNow)
            {
                return refusedNow;
            }

            var created = await services.GetRequiredService<ExecutionService>().CreateAsync(definition, input, caller.Actor, cancellationToken);
            return Accepted(ExecutionsEndpoints.ToSummary(created));
        }

        var starts = services.GetRequiredService<IdempotentStarts>();
        var request = IdempotentRequest.For(caller.KeyId, idempotencyKey, input);
        if (await starts.FindAsync(request, cancellationToken) is { } earlier)
        {
            return Answer(earlier);
        }

        if (await RefusedAsync(services, definition, input, caller, cancellationToken) is { } refused)
        {
            return refused;
        }

        var retention = services.GetRequiredService<IOptions<ApiOptions>>().Value.IdempotencyRetention;
        return Answer(await starts.StartAsync(request, definition, input, caller.Actor, retention, cancellationToken));
    }

    private static async Task<IResult?> RefusedAsync(
        IServiceProvider services, WorkflowDefinition definition, ValidatedInput input, ApiCaller caller, CancellationToken cancellationToken)
    {
        foreach (var admission in services.GetServices<IStartAdmission>().Where(a => a.WorkflowKey == definition.Key))
        {
            if (await admission.CheckAsync(input, caller.Actor, cancellationToken) is { } refusal)
            {
                return ApiProblems.Problem(StatusCodes.Status409Conflict, refusal.Title, refusal.Detail);
            }
        }

        return null;
    }

    private static IResult Answer(IdempotentStart start) => start.Outcome switch
    {
        IdempotentOutcome.Created => Accepted(ExecutionsEndpoints.ToSummary(start.Execution!)),
        IdempotentOutcome.Replayed => new ReplayResult(ExecutionsEndpoints.ToSummary(start.Execution!)),
        _ => ApiProblems.Problem(
            StatusCodes.Status409Conflict, "Idempotency key reused",
            $"This Idempotency-Key was already used with a different request (for execution {start.ExecutionId}); use a new key for a new request."),
    };

    private static Accepted<ExecutionSummary> Accepted(ExecutionSummary summary) => TypedResults.Accepted(summary.Href, summary);

    public static ValidationProblem? ReadIdempotencyKey(HttpRequest request, out string? key)
    {
        ArgumentNullException.ThrowIfNull(request);
        key = null;
        var values = request.Headers[IdempotencyHeader];
        if (values.Count == 0)
        {
            return null;
        }

        var value = values.Count == 1 ? values[0]?.Trim() : null;
        if (values.Count > 1 || string.IsNullOrEmpty(value) || value.Length > IdempotencyRecord.MaxKeyLength || value.Any(c => c is < ' ' or > '~'))
        {
            return ApiProblems.Validation(
                [new InputError(IdempotencyHeader, $"must be one value of 1 to {IdempotencyRecord.MaxKeyLength} printable ASCII characters, e.g. a UUID")],
                "The Idempotency-Key header is invalid; nothing was created.");
        }

        key = value;
        return null;
    }

    /// <summary>200 with the original execution and its Location, marked as a replay.</summary>
    private sealed class ReplayResult(ExecutionSummary summary) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Headers.Location = summary.Href;
            httpContext.Response.Headers[ReplayedHeader] = "true";
            return TypedResults.Ok(summary).ExecuteAsync(httpContext);
        }
    }
}
