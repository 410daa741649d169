using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Api;

/// <summary>
/// <c>GET /api/v1/workflows</c> and the typed OpenAPI document, against the real app with a workflow that only the
/// test project registers (it must be listed like the built-in ones); run once per provider (bottom).
/// </summary>
public abstract class WorkflowsApiTests<TDatabase>(WorkflowsApiTests<TDatabase>.Host host)
    where TDatabase : DatabaseFixture, new()
{
    [Fact]
    public async Task Lists_every_registered_workflow_with_its_steps_and_their_input_schemas()
    {
        var key = await host.IssueKeyAsync(ApiScope.Read);
        using var client = host.Client(key.Secret);

        var response = await client.GetAsync("/api/v1/workflows");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        var registry = host.App.Services.GetRequiredService<WorkflowRegistry>();
        Assert.Equal(registry.All.Select(w => w.Key).Order(StringComparer.Ordinal), listed.Select(w => w!["key"]!.GetValue<string>()));
        Assert.Contains(ArithmeticWorkflow.WorkflowKey, listed.Select(w => w!["key"]!.GetValue<string>()));
        foreach (var workflow in listed)
        {
            var definition = registry.Get(workflow!["key"]!.GetValue<string>());
            Assert.Equal(definition.DisplayName, workflow["name"]!.GetValue<string>());
            Assert.Equal(definition.Version, workflow["version"]!.GetValue<int>());
            var steps = workflow["steps"]!.AsArray();
            Assert.Equal(definition.Steps.Select(s => (s.Key, s.DisplayName, s.InputPresence.ToString())), steps.Select(s => (s!["key"]!.GetValue<string>(), s["name"]!.GetValue<string>(), s["input"]!.GetValue<string>())));

            // Every input entry is an object whose fields are named as the payload parser names them (camelCase).
            foreach (var step in steps)
            {
                var schema = step!["inputSchema"]!;
                Assert.Equal("object", schema["type"]!.GetValue<string>());
                Assert.All(schema["properties"]?.AsObject() ?? new JsonObject(), p => Assert.True(char.IsLower(p.Key[0]), $"{definition.Key}.{step["key"]}.{p.Key} is not camelCase."));
            }
        }

        // The test workflow's schemas, generated from its records with the payload options: integers, text, and
        // unknown fields refused as the parser refuses them.
        var arithmetic = listed.Single(w => w!["key"]!.GetValue<string>() == ArithmeticWorkflow.WorkflowKey)!;
        Assert.Equal("Arithmetic (test)", arithmetic["name"]!.GetValue<string>());
        var add = arithmetic["steps"]![0]!["inputSchema"]!;
        Assert.Equal(["a", "b", "label"], add["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal("integer", add["properties"]!["a"]!["type"]!.GetValue<string>());
        Assert.Equal("string", add["properties"]!["label"]!["type"]!.GetValue<string>());
        Assert.False(add["additionalProperties"]!.GetValue<bool>());
        Assert.Empty(arithmetic["steps"]![1]!["inputSchema"]!["properties"]?.AsObject() ?? new JsonObject());
    }

    [Fact]
    public async Task A_trigger_key_may_list_workflows_and_a_request_without_a_key_may_not()
    {
        var trigger = await host.IssueKeyAsync(ApiScope.Trigger);
        using var triggerClient = host.Client(trigger.Secret);
        using var anonymous = host.Client(null);

        Assert.Equal(HttpStatusCode.OK, (await triggerClient.GetAsync("/api/v1/workflows")).StatusCode);
        var refused = await anonymous.GetAsync("/api/v1/workflows");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_types_the_query_parameters_with_their_bounds()
    {
        var document = await DocumentAsync();

        var wait = Parameter(document, "/api/v1/executions/{id}", "wait");
        Assert.Equal("integer", wait["type"]!.GetValue<string>());
        Assert.Equal(0, wait["minimum"]!.GetValue<int>());
        Assert.Equal((int)ExecutionsEndpoints.MaxWait.TotalSeconds, wait["maximum"]!.GetValue<int>());

        var limit = Parameter(document, "/api/v1/executions", "limit");
        Assert.Equal("integer", limit["type"]!.GetValue<string>());
        Assert.Equal(1, limit["minimum"]!.GetValue<int>());
        Assert.Equal(ExecutionsEndpoints.MaxLimit, limit["maximum"]!.GetValue<int>());

        foreach (var name in new[] { "createdAfter", "createdBefore" })
        {
            var time = Parameter(document, "/api/v1/executions", name);
            Assert.Equal("string", time["type"]!.GetValue<string>());
            Assert.Equal("date-time", time["format"]!.GetValue<string>());
        }

        var status = Parameter(document, "/api/v1/executions", "status");
        Assert.Equal("array", status["type"]!.GetValue<string>());
        Assert.Equal("string", status["items"]!["type"]!.GetValue<string>());
        Assert.Equal(["Pending", "Running", "Succeeded", "Failed", "Cancelled"], status["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(Enum.GetNames<ExecutionStatus>(), status["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task The_openapi_document_is_well_formed_and_lists_the_workflows_operation()
    {
        using var anonymous = host.Client(null);
        var json = await anonymous.GetStringAsync(ApiSetup.DocumentPath);

        // The OpenAPI library reads it without a complaint and its rule set finds nothing wrong.
        var (parsed, diagnostic) = OpenApiDocument.Parse(json, "json");
        Assert.NotNull(parsed);
        Assert.Empty(diagnostic?.Errors ?? []);
        Assert.Empty(parsed.Validate(ValidationRuleSet.GetDefaultRuleSet()));

        // Every $ref points at something in the document, and every operation says what it answers.
        var document = JsonNode.Parse(json)!;
        var references = References(document).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(Resolve(document, r) is not null, $"{r} does not resolve."));
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Name: $"{o.Key} {p.Key}", Operation: o.Value!))).ToList();
        Assert.All(operations, o => Assert.True(o.Operation["responses"]?.AsObject().Count > 0, $"{o.Name} has no responses."));

        var workflows = document["paths"]!["/api/v1/workflows"]!["get"]!;
        Assert.Equal("ListWorkflows", workflows["operationId"]!.GetValue<string>());
        Assert.NotNull(workflows["responses"]!["200"]);
    }

    [Fact]
    public async Task The_openapi_document_gives_each_workflow_its_input_schema_and_its_own_start_operation()
    {
        var document = await DocumentAsync();
        var key = await host.IssueKeyAsync(ApiScope.Read);
        using var client = host.Client(key.Secret);
        var listed = JsonNode.Parse(await client.GetStringAsync("/api/v1/workflows"))!.AsArray();
        var registry = host.App.Services.GetRequiredService<WorkflowRegistry>();
        var generic = document["paths"]![WorkflowStartEndpoints.StartPath]!["post"]!;
        var anyOf = generic["requestBody"]!["content"]!["application/json"]!["schema"]!["anyOf"]!.AsArray().Select(r => r!["$ref"]!.GetValue<string>()).ToList();

        Assert.Equal(registry.All.Count, anyOf.Count);
        foreach (var workflow in registry.All)
        {
            // A named schema composed from the steps' input schemas, the ones GET /api/v1/workflows serves.
            var name = WorkflowStartEndpoints.InputSchemaName(workflow.Key);
            Assert.Contains($"#/components/schemas/{name}", anyOf);
            var input = document["components"]!["schemas"]![name]!;
            Assert.Equal("object", input["type"]!.GetValue<string>());
            Assert.False(input["additionalProperties"]!.GetValue<bool>());
            Assert.Equal(workflow.Steps.Select(s => s.Key), input["properties"]!.AsObject().Select(p => p.Key));
            Assert.Equal(
                workflow.Steps.Where(s => s.InputPresence == StepInputPresence.Required).Select(s => s.Key).Order(StringComparer.Ordinal),
                (input["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal));
            var served = listed.Single(w => w!["key"]!.GetValue<string>() == workflow.Key)!["steps"]!.AsArray();
            foreach (var step in served)
            {
                var inDocument = input["properties"]![step!["key"]!.GetValue<string>()]!;
                var fromList = step["inputSchema"]!;
                Assert.Equal(fromList["type"]!.GetValue<string>(), inDocument["type"]!.GetValue<string>());
                Assert.Equal(
                    (fromList["properties"]?.AsObject() ?? []).Select(p => (p.Key, Types(p.Value!["type"]))),
                    (inDocument["properties"]?.AsObject() ?? []).Select(p => (p.Key, Types(p.Value!["type"]))));
            }

            // Its own operation at its own address, typed by that schema, answering as the generic one.
            var own = document["paths"]![$"/api/v1/workflows/{workflow.Key}/executions"]!["post"]!;
            Assert.Equal($"#/components/schemas/{name}", own["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
            Assert.Equal("Start" + name[..^"Input".Length], own["operationId"]!.GetValue<string>());
            Assert.Equal(
                generic["responses"]!.AsObject().Select(r => r.Key),
                own["responses"]!.AsObject().Select(r => r.Key));
            var parameters = own["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
            Assert.DoesNotContain("key", parameters);
            Assert.Contains(WorkflowStartEndpoints.IdempotencyHeader, parameters);
        }

        // The test workflow's input, as its records and presences say: only "add" is required.
        var arithmetic = document["components"]!["schemas"]!["TestArithmeticInput"]!;
        Assert.Equal(["add"], arithmetic["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("integer", arithmetic["properties"]!["add"]!["properties"]!["a"]!["type"]!.GetValue<string>());
        Assert.Equal("StartTestArithmetic", document["paths"]!["/api/v1/workflows/test-arithmetic/executions"]!["post"]!["operationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_address_of_a_workflows_own_operation_starts_it_and_refuses_a_step_its_schema_does_not_list()
    {
        var document = await DocumentAsync();
        var trigger = await host.IssueKeyAsync(ApiScope.Trigger);
        using var client = host.Client(trigger.Secret);
        var own = document["paths"]![$"/api/v1/workflows/{ArithmeticWorkflow.WorkflowKey}/executions"]!["post"]!;
        Assert.NotNull(own);

        // The document's address for the workflow is one the API answers, with the body its schema describes.
        using var body = new StringContent("""{"add":{"a":2,"b":3,"label":"two-and-three"}}""", System.Text.Encoding.UTF8, "application/json");
        var started = await client.PostAsync($"/api/v1/workflows/{ArithmeticWorkflow.WorkflowKey}/executions", body);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        // A step the schema does not list is refused, as additionalProperties: false says.
        using var unknown = new StringContent("""{"add":{"a":2,"b":3,"label":"two-and-three"},"subtract":{}}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/v1/workflows/{ArithmeticWorkflow.WorkflowKey}/executions", unknown)).StatusCode);
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var anonymous = host.Client(null);
        return JsonNode.Parse(await anonymous.GetStringAsync(ApiSetup.DocumentPath))!;
    }

    // "string" or ["string", "null"], in whichever order the writer chose.
    private static string Types(JsonNode? type) => type switch
    {
        JsonArray many => string.Join(",", many.Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal)),
        null => "",
        _ => type.GetValue<string>(),
    };

    private static JsonNode Parameter(JsonNode document, string path, string name) =>
        document["paths"]![path]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!["schema"]!;

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue value ? new[] { value.GetValue<string>() } : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };

    // Local references only ("#/components/schemas/X"); anything else would not resolve inside the document either.
    private static JsonNode? Resolve(JsonNode document, string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        JsonNode? node = document;
        foreach (var token in reference[2..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
        {
            node = node is JsonObject obj ? obj[token] : null;
        }

        return node;
    }

    /// <summary>The app with the test-only arithmetic workflow registered next to the application's own.</summary>
    public class Host() : ApiHost<TDatabase>(
        new Dictionary<string, string?> { ["Api:RateLimit:PermitLimit"] = "100000", ["Api:InvalidKeyLimit:PermitLimit"] = "100000" },
        services => services.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>());
}

public sealed class SqliteWorkflowsApiTests(WorkflowsApiTests<SqliteDatabaseFixture>.Host host)
    : WorkflowsApiTests<SqliteDatabaseFixture>(host), IClassFixture<WorkflowsApiTests<SqliteDatabaseFixture>.Host>;

public sealed class PostgresWorkflowsApiTests(WorkflowsApiTests<PostgresDatabaseFixture>.Host host)
    : WorkflowsApiTests<PostgresDatabaseFixture>(host), IClassFixture<WorkflowsApiTests<PostgresDatabaseFixture>.Host>;
