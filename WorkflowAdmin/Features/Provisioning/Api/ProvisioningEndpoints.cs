using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Features.Api;

namespace WorkflowAdmin.Features.Provisioning.Api;

/// <summary>
/// <c>POST /api/v1/provisioning</c>: a typed facade over <see cref="WorkflowStartEndpoints"/> for the provision-customer
/// workflow. It maps the request (in the reference system's shape) onto the workflow's input, refuses a customer the
/// key may not provision, and then starts it the way every workflow starts: 202, the same idempotency and errors.
/// </summary>
internal static class ProvisioningEndpoints
{
    public const string IdempotencyHeader = WorkflowStartEndpoints.IdempotencyHeader;
    public const string ReplayedHeader = WorkflowStartEndpoints.ReplayedHeader;

    public static RouteGroupBuilder MapProvisioningEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/provisioning", CreateAsync)
            .RequireAuthorization(ApiPolicies.Trigger)
            .AddOpenApiOperationTransformer(DescribeRequestAsync)
            .WithName("Provision")
            .WithSummary("Provision an enterprise customer")
            .WithDescription(
                "Validates the request with the same rules as the console's trigger form and starts the provision-customer workflow. " +
                "Answers 202 with the execution and a Location to follow it (GET it, or long-poll with ?wait=30). " +
                "Send an Idempotency-Key header to make retries safe: the same key with the same body returns the original execution " +
                "(200, Idempotent-Replayed: true) for at least 24 hours; the same key with a different body is refused (409). " +
                "A key provisions only customers it created: a slug that names any other customer is refused (409) and nothing is written. " +
                "Invalid input answers 400 with every field error under its path in the request; nothing is created.")
            .Produces<ExecutionSummary>(StatusCodes.Status202Accepted)
            .Produces<ExecutionSummary>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    // The body is read by hand (JsonBody), so it is described here; Accepts<T>() would also make routing pick the
    // API's "not found" endpoint for a wrong content type, where the client must hear 415.
    private static async Task DescribeRequestAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(ProvisioningRequestBody), null, cancellationToken);
        IOpenApiSchema body = schema;
        if (context.Document is { } document)
        {
            // Each section becomes a named schema of its own, so readers (and the reference page) can follow it.
            foreach (var property in typeof(ProvisioningRequestBody).GetProperties())
            {
                var type = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericArguments()[0] : property.PropertyType;
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
                var reference = new OpenApiSchemaReference(type.Name, document);
                schema.Properties![name] = type == property.PropertyType ? reference : new OpenApiSchema { Type = JsonSchemaType.Array, Items = reference };
            }

            document.AddComponent(nameof(ProvisioningRequestBody), schema);
            body = new OpenApiSchemaReference(nameof(ProvisioningRequestBody), document);
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = $"JSON, at most {JsonBody.MaxBytes / 1024} KB.",
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/json"] = new() { Schema = body, Example = JsonNode.Parse(ProvisioningExample.Json) },
            },
        };
        operation.Parameters ??= [];
        operation.Parameters.Add(WorkflowStartEndpoints.IdempotencyParameter());
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, WorkflowRegistry workflows, CancellationToken cancellationToken)
    {
        if (WorkflowStartEndpoints.ReadIdempotencyKey(http.Request, out var idempotencyKey) is { } keyProblem)
        {
            return keyProblem;
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var definition = workflows.Get(ProvisioningWorkflow.WorkflowKey);
        ValidatedInput input;
        try
        {
            input = ProvisioningRequest.Validate(definition, body);
        }
        catch (InputValidationException ex)
        {
            return ApiProblems.Validation(ex.Errors);
        }

        // A key provisions only customers it created: the workflow's admission refuses any other (409) before anything
        // is written (decision 0011); the steps ask again at run time.
        return await WorkflowStartEndpoints.StartAsync(http, idempotencyKey, definition, input, cancellationToken);
    }
}
