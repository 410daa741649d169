using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// <c>POST /api/v1/provisioning</c>: validates the request, creates a provision-customer execution and answers at once
/// with <c>202 Accepted</c> and where to follow it; a background worker runs it. With an <c>Idempotency-Key</c> a retry
/// of the same request gets the same execution back instead of a second one.
/// </summary>
internal static class ProvisioningEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

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
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyHeader,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Makes retries safe: the same key and body return the original execution for at least 24 hours. " +
                          $"1 to {IdempotencyRecord.MaxKeyLength} printable ASCII characters, e.g. a UUID.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyRecord.MaxKeyLength },
        });
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, AppDbContext db, ExecutionService executions, WorkflowRegistry workflows, ICustomerDirectory customers,
        TimeProvider time, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var caller = ApiCaller.From(http);
        if (ReadIdempotencyKey(http.Request, out var idempotencyKey) is { } keyProblem)
        {
            return keyProblem;
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var definition = workflows.Get(ProvisioningRequest.WorkflowKey);
        ValidatedInput input;
        try
        {
            input = ProvisioningRequest.Validate(definition, body);
        }
        catch (InputValidationException ex)
        {
            return ApiProblems.Validation(ex.Errors);
        }

        // A key provisions only customers it created (decision 0011). Asked here for a clean 409 before anything is
        // written; the steps ask again at run time. A replay comes first: a retry gets the execution it started.
        var slug = input.Values.Find<CreateCustomerInput>()!.Slug;
        var requester = Requester.Of(caller.Actor);
        if (idempotencyKey is null)
        {
            if (!await CustomerAccess.IsAvailableAsync(customers, slug, requester, cancellationToken))
            {
                return NotAvailable(slug);
            }

            var created = await executions.CreateAsync(definition.Key, input.ComposedJson, caller.Actor, cancellationToken);
            return Accepted(created.Id, ExecutionsEndpoints.ToSummary(created));
        }

        // The request is identified by what it asks for, not by its bytes: the same fields in another order or
        // spacing are the same request.
        var requestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(definition.Key + "\n" + input.ComposedJson)));
        var now = time.GetUtcNow().UtcDateTime;
        if (await ExistingAsync(db, caller.KeyId, idempotencyKey, now, cancellationToken) is { } earlier)
        {
            return await ReplayAsync(db, earlier, requestHash, cancellationToken);
        }

        if (!await CustomerAccess.IsAvailableAsync(customers, slug, requester, cancellationToken))
        {
            return NotAvailable(slug);
        }

        // An expired record no longer protects anything; it goes before its key is used again.
        await db.IdempotencyRecords.Where(r => r.ApiKeyId == caller.KeyId && r.Key == idempotencyKey && r.ExpiresAt <= now)
            .ExecuteDeleteAsync(cancellationToken);
        try
        {
            var created = await executions.CreateAsync(
                definition.Key, input.ComposedJson, caller.Actor,
                (context, execution) => context.IdempotencyRecords.Add(IdempotencyRecord.Create(
                    caller.KeyId, idempotencyKey, requestHash, execution.Id, now, options.Value.IdempotencyRetention)),
                cancellationToken);
            return Accepted(created.Id, ExecutionsEndpoints.ToSummary(created));
        }
        catch (DbUpdateException)
        {
            // A concurrent request with the same key committed first (the primary key refused ours, and with it
            // our execution and audit entry): answer as its retry would be answered.
            db.ChangeTracker.Clear();
            if (await ExistingAsync(db, caller.KeyId, idempotencyKey, now, CancellationToken.None) is { } winner)
            {
                return await ReplayAsync(db, winner, requestHash, cancellationToken);
            }

            throw;
        }
    }

    private static Task<IdempotencyRecord?> ExistingAsync(AppDbContext db, Guid apiKeyId, string key, DateTime now, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.AsNoTracking()
            .SingleOrDefaultAsync(r => r.ApiKeyId == apiKeyId && r.Key == key && r.ExpiresAt > now, cancellationToken);

    private static async Task<IResult> ReplayAsync(AppDbContext db, IdempotencyRecord record, string requestHash, CancellationToken cancellationToken)
    {
        if (record.RequestHash != requestHash)
        {
            return ApiProblems.Problem(
                StatusCodes.Status409Conflict, "Idempotency key reused",
                $"This Idempotency-Key was already used with a different request (for execution {record.ExecutionId}); use a new key for a new request.");
        }

        var execution = await db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.Id == record.ExecutionId, cancellationToken);
        return new ReplayResult(ExecutionsEndpoints.ToSummary(execution));
    }

    // The same answer whether a customer has the slug, belongs to another key or predates owners: the caller
    // learns only that it cannot have the slug, which any unique name reveals, and nothing recorded about it.
    private static ProblemHttpResult NotAvailable(string slug) =>
        ApiProblems.Problem(StatusCodes.Status409Conflict, "Customer not available", CustomerAccess.NotAvailable(slug));

    private static Accepted<ExecutionSummary> Accepted(Guid id, ExecutionSummary summary) =>
        TypedResults.Accepted(ExecutionsEndpoints.Href(id), summary);

    private static ValidationProblem? ReadIdempotencyKey(HttpRequest request, out string? key)
    {
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
