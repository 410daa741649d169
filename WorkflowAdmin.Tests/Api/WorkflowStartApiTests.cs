using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Features.Provisioning.Api;
using WorkflowAdmin.Tests.Infrastructure;
using WorkflowAdmin.Tests.ThirdWorkflow;

namespace WorkflowAdmin.Tests.Api;

/// <summary>
/// <c>POST /api/v1/workflows/{key}/executions</c> end to end over HTTP, with a workflow registered only in the test
/// project (<see cref="ShipOrderWorkflow"/>): started, watched, re-run and audited with no change to the application.
/// Run once per provider (bottom).
/// </summary>
public abstract class WorkflowStartApiTests<TDatabase>(WorkflowStartApiTests<TDatabase>.Host host)
    where TDatabase : DatabaseFixture, new()
{
    private const string Path = $"/api/v1/workflows/{ShipOrderWorkflow.WorkflowKey}/executions";

    [Fact]
    public async Task A_test_only_workflow_is_listed_started_watched_rerun_and_audited()
    {
        var key = await host.IssueKeyAsync(ApiScope.Trigger, ApiScope.Read);
        using var client = host.Client(key.Secret);

        // Listed with its schemas, and named in the contract as a workflow the start endpoint takes.
        var listed = JsonNode.Parse(await client.GetStringAsync("/api/v1/workflows"))!.AsArray();
        var ship = listed.Single(w => w!["key"]!.GetValue<string>() == ShipOrderWorkflow.WorkflowKey)!;
        Assert.Equal(["pack-order", "notify-buyer"], ship["steps"]!.AsArray().Select(s => s!["key"]!.GetValue<string>()));
        var document = JsonNode.Parse(await client.GetStringAsync(ApiSetup.DocumentPath))!;
        var operation = document["paths"]!["/api/v1/workflows/{key}/executions"]!["post"]!;
        var keyParameter = operation["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "key")!;
        Assert.Contains(ShipOrderWorkflow.WorkflowKey, keyParameter["schema"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains(operation["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == WorkflowStartEndpoints.IdempotencyHeader);
        Assert.NotNull(operation["responses"]!["202"]);
        Assert.NotNull(operation["responses"]!["404"]);

        // Started: 202 with where to follow it, then watched to the end.
        var response = await client.PostAsync(Path, ApiHost<TDatabase>.Json(ShipOrderWorkflow.ExampleInput("ORD-1")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var id = accepted["id"]!.GetValue<Guid>();
        Assert.Equal($"/api/v1/executions/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(ShipOrderWorkflow.WorkflowKey, accepted["workflow"]!.GetValue<string>());
        Assert.Equal("ORD-1", accepted["businessKey"]!.GetValue<string>());
        var finished = JsonNode.Parse(await client.GetStringAsync($"{response.Headers.Location}?wait=30"))!;
        Assert.Equal("Succeeded", finished["status"]!.GetValue<string>());
        Assert.Equal(3, finished["output"]!["pack-order"]!["items"]!.GetValue<int>());

        // The console's list filters by it (its option comes from the registry).
        var admin = host.App.Services.GetRequiredService<ExecutionsAdmin>();
        var state = ListState.FromUri($"http://console/executions?workflow={ShipOrderWorkflow.WorkflowKey}", admin);
        var rows = await host.QueryAsync(async db => (await admin.LoadAsync(db, state, CancellationToken.None)).Rows.Cast<ExecutionRow>().ToList());
        Assert.Contains(rows, r => r.Id == id);
        Assert.All(rows, r => Assert.Equal(ShipOrderWorkflow.WorkflowKey, r.Workflow));

        // A failing one, re-run with a corrected input by an admin, succeeds; both are audited.
        var failing = await client.PostAsync(Path, ApiHost<TDatabase>.Json(ShipOrderWorkflow.ExampleInput("FAIL-2")));
        var failedId = JsonNode.Parse(await failing.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        var failed = JsonNode.Parse(await client.GetStringAsync($"{failing.Headers.Location}?wait=30"))!;
        Assert.Equal("Failed", failed["status"]!.GetValue<string>());
        Guid rerunId;
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var rerun = await scope.ServiceProvider.GetRequiredService<ExecutionService>().RerunAsync(
                failedId, new RerunRequest(RerunMode.FromStart, "order number fixed", ShipOrderWorkflow.ExampleInput("ORD-2")), TestActors.Admin, default);
            rerunId = rerun.Id;
        }

        var rerunFinished = JsonNode.Parse(await client.GetStringAsync($"/api/v1/executions/{rerunId}?wait=30"))!;
        Assert.Equal("Succeeded", rerunFinished["status"]!.GetValue<string>());
        var audit = await host.QueryAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.TargetId == id.ToString() || a.TargetId == failedId.ToString()).Select(a => new { a.TargetId, a.Action, a.Actor }).ToListAsync());
        Assert.Contains(audit, a => a.TargetId == id.ToString() && a.Action == AuditActions.ExecutionTriggered && a.Actor == key.Name);
        Assert.Contains(audit, a => a.TargetId == failedId.ToString() && a.Action == AuditActions.ExecutionRerun);
    }

    [Fact]
    public async Task The_same_idempotency_key_replays_the_original_and_refuses_another_input()
    {
        var key = await host.IssueKeyAsync(ApiScope.Trigger);
        using var client = host.Client(key.Secret);

        var first = await PostAsync(client, ShipOrderWorkflow.ExampleInput("ORD-IDEM"), "retry-1");
        // The same input in another order and spacing is the same request.
        var reordered = JsonNode.Parse(ShipOrderWorkflow.ExampleInput("ORD-IDEM"))!.AsObject();
        var pack = reordered[ShipOrderWorkflow.PackStep]!;
        reordered.Remove(ShipOrderWorkflow.PackStep);
        reordered[ShipOrderWorkflow.PackStep] = pack;
        var second = await PostAsync(client, reordered.ToJsonString(), "retry-1");
        var other = await PostAsync(client, ShipOrderWorkflow.ExampleInput("ORD-OTHER"), "retry-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues(WorkflowStartEndpoints.ReplayedHeader).Single());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(1, await host.ExecutionsTriggeredByAsync(key.Name));
    }

    [Fact]
    public async Task Invalid_input_answers_400_with_every_error_at_its_path_and_creates_nothing()
    {
        var key = await host.IssueKeyAsync(ApiScope.Trigger);
        using var client = host.Client(key.Secret);
        var body = JsonNode.Parse(ShipOrderWorkflow.ExampleInput(""))!.AsObject();
        body[ShipOrderWorkflow.PackStep]!["lines"]![1]!["quantity"] = 0;
        body[ShipOrderWorkflow.NotifyStep]!["email"] = "nobody";
        body["no-such-step"] = new JsonObject();

        var response = await client.PostAsync(Path, ApiHost<TDatabase>.Json(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(
            ["no-such-step", "notify-buyer.email", "pack-order.lines[1].quantity", "pack-order.orderNumber"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("must be at least 1", errors["pack-order.lines[1].quantity"]![0]!.GetValue<string>());
        Assert.Equal(0, await host.ExecutionsTriggeredByAsync(key.Name));
    }

    [Fact]
    public async Task A_read_key_is_refused_403_and_an_unknown_workflow_404()
    {
        var reader = await host.IssueKeyAsync(ApiScope.Read);
        using var readClient = host.Client(reader.Secret);
        var trigger = await host.IssueKeyAsync(ApiScope.Trigger);
        using var triggerClient = host.Client(trigger.Secret);

        var refused = await readClient.PostAsync(Path, ApiHost<TDatabase>.Json(ShipOrderWorkflow.ExampleInput("ORD-403")));
        var unknown = await triggerClient.PostAsync("/api/v1/workflows/no-such-workflow/executions", ApiHost<TDatabase>.Json("{}"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-such-workflow", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await host.ExecutionsTriggeredByAsync(reader.Name));
    }

    [Fact]
    public async Task A_key_whose_trigger_scope_names_workflows_starts_only_those()
    {
        IssuedApiKey key;
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().IssueAsync(
                $"limited-{Guid.NewGuid():N}"[..20], [ApiScope.Trigger], [ShipOrderWorkflow.WorkflowKey], Actor.System, default);
            await Assert.ThrowsAsync<InputValidationException>(() => scope.ServiceProvider.GetRequiredService<ApiKeyService>().IssueAsync(
                $"bad-{Guid.NewGuid():N}"[..20], [ApiScope.Trigger], ["no-such-workflow"], Actor.System, default));
        }

        using var client = host.Client(key.Secret);
        var body = JsonNode.Parse(ProvisioningExample.Json)!.AsObject();
        body["enterpriseCustomer"]!["slug"] = $"lim-{Guid.NewGuid():N}"[..12];

        var allowed = await client.PostAsync(Path, ApiHost<TDatabase>.Json(ShipOrderWorkflow.ExampleInput("ORD-L1")));
        var refused = await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(ProvisioningRequest.WorkflowKey, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await host.ExecutionsTriggeredByAsync(key.Name));
        var stored = await host.QueryAsync(db => db.ApiKeys.AsNoTracking().Where(k => k.Id == key.Id).Select(k => k.Scopes).SingleAsync());
        Assert.Equal($"trigger,trigger:{ShipOrderWorkflow.WorkflowKey}", stored);
    }

    [Fact]
    public async Task Provisioning_through_the_generic_endpoint_is_admitted_as_the_facade_admits_it()
    {
        var owner = await host.IssueKeyAsync(ApiScope.Trigger);
        var other = await host.IssueKeyAsync(ApiScope.Trigger);
        var slug = $"gen-{Guid.NewGuid():N}"[..12];
        var request = JsonNode.Parse(ProvisioningExample.Json)!.AsObject();
        request["enterpriseCustomer"]!["slug"] = slug;
        request["trialSubscriptionPlan"]!["salesforceOpportunityLineItem"] = $"{slug}-trial";
        request["firstPaidSubscriptionPlan"]!["salesforceOpportunityLineItem"] = $"{slug}-paid";
        string composed;
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var definition = scope.ServiceProvider.GetRequiredService<WorkflowRegistry>().Get(ProvisioningRequest.WorkflowKey);
            composed = ProvisioningRequest.Validate(definition, request).ComposedJson;
        }

        using var ownerClient = host.Client(owner.Secret);
        using var otherClient = host.Client(other.Secret);
        var started = await ownerClient.PostAsync($"/api/v1/workflows/{ProvisioningRequest.WorkflowKey}/executions", ApiHost<TDatabase>.Json(composed));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("Succeeded", JsonNode.Parse(await ownerClient.GetStringAsync($"{started.Headers.Location}?wait=30"))!["status"]!.GetValue<string>());

        // Another key may not provision onto that customer: refused before anything is written (decision 0011).
        var refused = await otherClient.PostAsync($"/api/v1/workflows/{ProvisioningRequest.WorkflowKey}/executions", ApiHost<TDatabase>.Json(composed));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(0, await host.ExecutionsTriggeredByAsync(other.Name));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = ApiHost<TDatabase>.Json(body) };
        request.Headers.Add(WorkflowStartEndpoints.IdempotencyHeader, idempotencyKey);
        return await client.SendAsync(request);
    }

    /// <summary>The app with the test-only workflow registered, as the README's recipe registers one.</summary>
    public class Host() : ApiHost<TDatabase>(
        new Dictionary<string, string?> { ["Api:RateLimit:PermitLimit"] = "100000", ["Api:InvalidKeyLimit:PermitLimit"] = "100000" },
        services => services.AddSingleton<WorkflowDefinition, ShipOrderWorkflow>());
}

public sealed class SqliteWorkflowStartApiTests(WorkflowStartApiTests<SqliteDatabaseFixture>.Host host)
    : WorkflowStartApiTests<SqliteDatabaseFixture>(host), IClassFixture<WorkflowStartApiTests<SqliteDatabaseFixture>.Host>;

public sealed class PostgresWorkflowStartApiTests(WorkflowStartApiTests<PostgresDatabaseFixture>.Host host)
    : WorkflowStartApiTests<PostgresDatabaseFixture>(host), IClassFixture<WorkflowStartApiTests<PostgresDatabaseFixture>.Host>;
