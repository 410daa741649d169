using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Features.Provisioning.Api;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Api;

/// <summary>The provisioning API end to end over HTTP, against the real app; run once per provider (bottom).</summary>
public abstract class ProvisioningApiTests<TDatabase>(ApiHost<TDatabase> host)
    where TDatabase : DatabaseFixture, new()
{
    protected ApiHost<TDatabase> Host { get; } = host;

    [Fact]
    public async Task Provision_answers_202_with_a_location_and_the_execution_runs_attributed_to_the_key()
    {
        var key = await Host.IssueKeyAsync(ApiScope.Trigger);
        using var client = Host.Client(key.Secret);

        var response = await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body("acme-202")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await ReadAsync(response);
        var id = accepted["id"]!.GetValue<Guid>();
        Assert.Equal($"/api/v1/executions/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(key.Name, accepted["triggeredBy"]!.GetValue<string>());
        Assert.Equal("Api", accepted["source"]!.GetValue<string>());
        Assert.Equal("acme-202", accepted["businessKey"]!.GetValue<string>());

        // Long-polling returns as soon as the background worker has finished, with every step and the output.
        var clock = Stopwatch.StartNew();
        var finished = await ReadAsync(await client.GetAsync($"{response.Headers.Location}?wait=30"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"The long poll took {clock.Elapsed}.");
        Assert.Equal("Succeeded", finished["status"]!.GetValue<string>());
        Assert.Equal(9, finished["steps"]!.AsArray().Count);
        Assert.All(finished["steps"]!.AsArray(), s => Assert.Equal("Succeeded", s!["status"]!.GetValue<string>()));
        Assert.NotEqual(Guid.Empty, finished["output"]!["create-customer"]!["customerId"]!.GetValue<Guid>());

        // The console lists it as triggered by the key's name, from the API...
        var row = await ConsoleRowAsync(id, key.Name);
        Assert.Equal(key.Name, row.TriggeredBy);
        Assert.Equal(TriggerSource.Api, row.Source);

        // ...and the audit trail names the key as the actor of the trigger.
        var audit = await Host.QueryAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.TargetId == id.ToString()));
        Assert.Equal(AuditActions.ExecutionTriggered, audit.Action);
        Assert.Equal(key.Name, audit.Actor);
        Assert.Equal(nameof(ActorKind.ApiKey), audit.ActorKind);
        Assert.Equal("scope:trigger", audit.ActorRoles);
    }

    [Fact]
    public async Task Invalid_input_answers_400_with_every_field_error_under_its_request_path_and_creates_nothing()
    {
        var key = await Host.IssueKeyAsync(ApiScope.Trigger);
        using var client = Host.Client(key.Secret);
        var body = JsonNode.Parse(Body("acme-400"))!.AsObject();
        body["enterpriseCustomer"]!["slug"] = "Not A Slug";
        body["enterpriseCustomer"]!["country"] = "Narnia";
        body["enterpriseCustomer"]!["tier"] = "gold";
        body["pendingAdmins"] = new JsonArray(new JsonObject { ["userEmail"] = "it@acme.example" }, new JsonObject { ["userEmail"] = "not-an-email" }, 7);
        body["trialSubscriptionPlan"]!["desiredNumLicenses"] = "twenty";
        body["trialSubscriptionPlan"]!["expirationDate"] = "2026-03-01";
        body["trialSubscriptionPlan"]!.AsObject().Remove("salesforceOpportunityLineItem");
        body.Remove("firstPaidSubscriptionPlan");
        body["subsidy"]!["currency"] = "usd";
        body["extra"] = true;

        var response = await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await ReadAsync(response))["errors"]!.AsObject();
        Assert.Equal(
            new SortedSet<string>(StringComparer.Ordinal)
            {
                "enterpriseCustomer.slug", "enterpriseCustomer.country", "enterpriseCustomer.tier",
                "pendingAdmins[1].userEmail", "pendingAdmins[2]",
                "trialSubscriptionPlan.desiredNumLicenses", "trialSubscriptionPlan.expirationDate", "trialSubscriptionPlan.salesforceOpportunityLineItem",
                "firstPaidSubscriptionPlan", "subsidy.currency", "extra",
            },
            new SortedSet<string>(errors.Select(e => e.Key), StringComparer.Ordinal));
        Assert.Equal("must be a whole number", errors["trialSubscriptionPlan.desiredNumLicenses"]![0]!.GetValue<string>());
        Assert.Equal("must be after startDate", errors["trialSubscriptionPlan.expirationDate"]![0]!.GetValue<string>());
        Assert.Equal("is required", errors["firstPaidSubscriptionPlan"]![0]!.GetValue<string>());
        Assert.Equal(0, await Host.ExecutionsTriggeredByAsync(key.Name));
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_original_execution_and_refuses_a_different_body()
    {
        var key = await Host.IssueKeyAsync(ApiScope.Trigger);
        using var client = Host.Client(key.Secret);

        var first = await PostAsync(client, Body("acme-idem"), "order-17");
        // The same request, its fields in another order and spacing: still the same request.
        var reordered = JsonNode.Parse(Body("acme-idem"))!.AsObject();
        var customer = reordered["enterpriseCustomer"]!;
        reordered.Remove("enterpriseCustomer");
        reordered["enterpriseCustomer"] = customer;
        var second = await PostAsync(client, reordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "order-17");
        var different = await PostAsync(client, Body("acme-other"), "order-17");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues(ProvisioningEndpoints.ReplayedHeader).Single());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal((await ReadAsync(first))["id"]!.GetValue<Guid>(), (await ReadAsync(second))["id"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        Assert.Equal(1, await Host.ExecutionsTriggeredByAsync(key.Name));

        // Another key's identical key is another client's: it is not a replay.
        var other = await Host.IssueKeyAsync(ApiScope.Trigger);
        using var otherClient = Host.Client(other.Secret);
        // (Its own slug: the first key's customer is not available to it, decision 0011.)
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(otherClient, Body("acme-idem-other"), "order-17")).StatusCode);
    }

    [Fact]
    public async Task Twenty_concurrent_identical_requests_create_exactly_one_execution()
    {
        var key = await Host.IssueKeyAsync(ApiScope.Trigger);
        using var client = Host.Client(key.Secret);
        var body = Body("acme-race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(client, body, "race-1")));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.OK }));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        var ids = await Task.WhenAll(responses.Select(async r => (await ReadAsync(r))["id"]!.GetValue<Guid>()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await Host.ExecutionsTriggeredByAsync(key.Name));
        Assert.Equal(1, await Host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Actor == key.Name)));
    }

    [Fact]
    public async Task Missing_unknown_malformed_and_revoked_keys_answer_401_with_a_problem()
    {
        var key = await Host.IssueKeyAsync(ApiScope.Read, ApiScope.Trigger);
        using var anonymous = Host.Client(null);
        using var garbage = Host.Client("wfa_" + new string('x', 43));
        using var notOurs = Host.Client("sk_live_not_a_workflowadmin_key");
        using var valid = Host.Client(key.Secret);
        using var viaHeader = new HttpClient { BaseAddress = Host.App.BaseAddress };
        viaHeader.DefaultRequestHeaders.Add("X-Api-Key", key.Secret);

        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("/api/v1/executions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viaHeader.GetAsync("/api/v1/executions")).StatusCode);
        foreach (var client in new[] { anonymous, garbage, notOurs })
        {
            var response = await client.GetAsync("/api/v1/executions");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        await Host.RevokeAsync(key.Id);

        Assert.Equal(HttpStatusCode.Unauthorized, (await valid.GetAsync("/api/v1/executions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await valid.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body("acme-revoked")))).StatusCode);
        Assert.Equal(0, await Host.ExecutionsTriggeredByAsync(key.Name));
    }

    [Fact]
    public async Task An_api_key_never_opens_the_console()
    {
        var key = await Host.IssueKeyAsync(ApiScope.Read, ApiScope.Trigger);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = Host.App.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Secret);

        var response = await client.GetAsync("/executions");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("read", "post", HttpStatusCode.Forbidden)]
    [InlineData("read", "list", HttpStatusCode.OK)]
    [InlineData("read", "get-others", HttpStatusCode.OK)]
    [InlineData("trigger", "post", HttpStatusCode.Accepted)]
    [InlineData("trigger", "list", HttpStatusCode.OK)]
    [InlineData("trigger", "get-own", HttpStatusCode.OK)]
    [InlineData("trigger", "get-others", HttpStatusCode.NotFound)]
    [InlineData("read,trigger", "post", HttpStatusCode.Accepted)]
    [InlineData("read,trigger", "get-own", HttpStatusCode.OK)]
    [InlineData("read,trigger", "get-others", HttpStatusCode.OK)]
    public async Task Scopes_decide_what_a_key_may_do(string scopes, string operation, HttpStatusCode expected)
    {
        var someoneElse = await Host.IssueKeyAsync(ApiScope.Trigger);
        using var otherClient = Host.Client(someoneElse.Secret);
        var others = (await ReadAsync(await otherClient.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body(Unique("acme-others"))))))["id"]!.GetValue<Guid>();
        var key = await Host.IssueKeyAsync([.. ApiScopes.Parse(scopes)]);
        using var client = Host.Client(key.Secret);
        var own = key.Scopes.Contains(ApiScope.Trigger)
            ? (await ReadAsync(await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body(Unique("acme-own"))))))["id"]!.GetValue<Guid>()
            : Guid.Empty;

        var response = operation switch
        {
            "post" => await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body(Unique("acme-scope")))),
            "list" => await client.GetAsync("/api/v1/executions?limit=200"),
            "get-own" => await client.GetAsync($"/api/v1/executions/{own}"),
            _ => await client.GetAsync($"/api/v1/executions/{others}"),
        };

        Assert.Equal(expected, response.StatusCode);
        if (operation == "list")
        {
            // A trigger-only key lists only what it started; a read key sees the other key's execution too.
            var ids = (await ReadAsync(response))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToList();
            Assert.Equal(key.Scopes.Contains(ApiScope.Read), ids.Contains(others));
        }

        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Contains("trigger", (await ReadAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(0, await Host.ExecutionsTriggeredByAsync(key.Name));
        }
    }

    [Fact]
    public async Task Client_mistakes_get_their_own_4xx_and_never_a_5xx()
    {
        var key = await Host.IssueKeyAsync(ApiScope.Read, ApiScope.Trigger);
        using var client = Host.Client(key.Secret);
        var huge = JsonNode.Parse(Body("acme-huge"))!.AsObject();
        huge["enterpriseCustomer"]!["name"] = new string('a', JsonBody.MaxBytes);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/executions/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/executions/not-a-guid")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/no-such-thing")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json("{\"enterpriseCustomer\": {"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json("[1, 2]"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body("acme-415"), "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync("/api/v1/provisioning", new FormUrlEncodedContent([new("a", "b")]))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(huge.ToJsonString()))).StatusCode);
        var chunked = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge.ToJsonString())));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/provisioning") { Content = chunked })
        {
            request.Headers.TransferEncodingChunked = true;
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, Body("acme-badkey"), new string('k', 201))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/executions?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/executions?status=Exploded")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/executions?cursor=bm90LWEtY3Vyc29y")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/executions?createdAfter=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/executions/{Guid.NewGuid()}?wait=soon")).StatusCode);
        Assert.Equal(0, await Host.ExecutionsTriggeredByAsync(key.Name));
    }

    [Fact]
    public async Task Keyset_pages_neither_repeat_nor_skip_rows_when_executions_arrive_while_paging()
    {
        var key = await Host.IssueKeyAsync(ApiScope.Trigger);
        using var client = Host.Client(key.Secret);
        var created = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await ReadAsync(await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body($"acme-page-{i}")))))["id"]!.GetValue<Guid>());
        }

        var first = await ReadAsync(await client.GetAsync("/api/v1/executions?limit=3"));
        for (var i = 0; i < 2; i++)
        {
            await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body($"acme-late-{i}")));
        }

        var seen = Ids(first);
        var next = first["next"]?.GetValue<string>();
        while (next is not null)
        {
            var page = await ReadAsync(await client.GetAsync(next));
            seen.AddRange(Ids(page));
            next = page["next"]?.GetValue<string>();
        }

        // Newest first: the seven in reverse creation order, each once; the two that arrived later are not mixed in.
        created.Reverse();
        Assert.Equal(created, seen);
    }

    [Fact]
    public async Task The_openapi_document_is_public_and_the_reference_shows_every_operation_and_request_field()
    {
        using var anonymous = Host.Client(null);

        var response = await anonymous.GetAsync(ApiSetup.DocumentPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reference = ApiReference.FromJson(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            [
                "POST /api/v1/provisioning", "POST /api/v1/workflows/{key}/executions", "GET /api/v1/executions/{id}", "GET /api/v1/executions",
                "GET /api/v1/workflows", "POST /api/v1/workflows/onboard-customer/executions", "POST /api/v1/workflows/provision-customer/executions",
            ],
            reference.Operations.Select(o => $"{o.Method} {o.Path}"));
        var post = reference.Operations[0];
        Assert.Equal("ProvisioningRequestBody", post.Body!.Type.SchemaName);
        Assert.Contains(post.Parameters, p => p.Name == ProvisioningEndpoints.IdempotencyHeader && p.In == "header");
        Assert.Equal(["200", "202", "400", "401", "403", "409", "413", "415", "429"], post.Responses.Select(r => r.Status).Order(StringComparer.Ordinal));

        // The documented request names exactly the fields the endpoint accepts, section by section.
        var body = reference.Schemas.Single(s => s.Name == "ProvisioningRequestBody");
        Assert.Equal(ProvisioningRequest.Sections.Select(s => s.Name).Order(StringComparer.Ordinal), body.Fields.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var section in ProvisioningRequest.Sections)
        {
            var schema = reference.Schemas.Single(s => s.Name == body.Fields.Single(f => f.Name == section.Name).Type.SchemaName);
            Assert.Equal(section.Fields.Select(f => f.Request).Order(StringComparer.Ordinal), schema.Fields.Select(f => f.Name).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task The_documented_example_is_accepted()
    {
        var key = await Host.IssueKeyAsync(ApiScope.Trigger);
        using var client = Host.Client(key.Secret);

        var response = await PostAsync(client, ProvisioningExample.Json, ProvisioningExample.IdempotencyKey);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    protected static string Body(string slug)
    {
        var body = JsonNode.Parse(ProvisioningExample.Json)!.AsObject();
        body["enterpriseCustomer"]!["slug"] = slug;
        body["trialSubscriptionPlan"]!["salesforceOpportunityLineItem"] = $"{slug}-trial";
        body["firstPaidSubscriptionPlan"]!["salesforceOpportunityLineItem"] = $"{slug}-paid";
        return body.ToJsonString();
    }

    // A slug of its own for each run of a theory case: a key may not provision onto another key's customer (0011).
    protected static string Unique(string slug) => $"{slug}-{Guid.NewGuid():N}"[..(slug.Length + 9)];

    protected static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/provisioning") { Content = ApiHost<TDatabase>.Json(body) };
        request.Headers.Add(ProvisioningEndpoints.IdempotencyHeader, idempotencyKey);
        return await client.SendAsync(request);
    }

    protected static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("An empty answer.");

    private static List<Guid> Ids(JsonNode page) => [.. page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())];

    private async Task<ExecutionRow> ConsoleRowAsync(Guid id, string keyName)
    {
        var admin = Host.App.Services.GetRequiredService<ExecutionsAdmin>();
        var state = ListState.FromUri($"http://console/executions?by={Uri.EscapeDataString(keyName)}&source=Api", admin);
        return await Host.QueryAsync(async db => (await admin.LoadAsync(db, state, CancellationToken.None)).Rows.Cast<ExecutionRow>().Single(r => r.Id == id));
    }
}

public sealed class SqliteProvisioningApiTests(SqliteApiHost host)
    : ProvisioningApiTests<SqliteDatabaseFixture>(host), IClassFixture<SqliteApiHost>;

public sealed class PostgresProvisioningApiTests(PostgresApiHost host)
    : ProvisioningApiTests<PostgresDatabaseFixture>(host), IClassFixture<PostgresApiHost>;
