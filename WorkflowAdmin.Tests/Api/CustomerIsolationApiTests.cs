using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Provisioning.Api;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Api;

/// <summary>
/// An API key reaches only customers it created (decision 0011), over the real API. The host's job queue runs
/// nothing, so each test runs executions itself, in the order the race it stages needs; the runner is the real one.
/// </summary>
public abstract class CustomerIsolationApiTests<TDatabase>(PausedApiHost<TDatabase> host)
    where TDatabase : DatabaseFixture, new()
{
    private static readonly Actor Admin =
        Actor.ForUser("grace@console.example", [Roles.Admin]) with { Id = "5f0c9a51-1111-4f0e-9c1d-000000000001", CorrelationId = "isolation" };

    [Fact]
    public async Task A_slug_the_key_did_not_create_is_refused_with_409_whoever_has_it_and_nothing_is_written_or_revealed()
    {
        var owner = await host.IssueKeyAsync(ApiScope.Trigger);
        var consoles = await ProvisionFromConsoleAsync(Slug("console"), "Console Owned Ltd");
        var keys = await ProvisionWithKeyAsync(owner, Slug("keyowned"), "Key Owned Ltd");
        var legacy = await InsertLegacyCustomerAsync(Slug("legacy"), "Legacy Ltd");
        var hostile = await host.IssueKeyAsync(ApiScope.Trigger);
        using var client = host.Client(hostile.Secret);
        var before = await CountRecordsAsync();

        var details = new List<string>();
        foreach (var (customer, index) in new[] { consoles, keys, legacy }.Select((c, i) => (c, i)))
        {
            var plain = await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body(customer.Slug, "Hostile Inc", "mallory@hostile.example")));
            var idempotent = await PostAsync(client, Body(customer.Slug, "Hostile Inc", "mallory@hostile.example"), $"probe-{index}");

            foreach (var response in new[] { plain, idempotent })
            {
                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var text = await response.Content.ReadAsStringAsync();
                var problem = JsonNode.Parse(text)!;
                Assert.Equal(CustomerAccess.NotAvailable(customer.Slug), problem["detail"]!.GetValue<string>());
                Assert.DoesNotContain(customer.Id.ToString(), text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(customer.Name, text, StringComparison.Ordinal);
                Assert.DoesNotContain(owner.Name, text, StringComparison.Ordinal);
                Assert.DoesNotContain(Admin.Name, text, StringComparison.Ordinal);
                details.Add(problem["detail"]!.GetValue<string>().Replace(customer.Slug, "{slug}", StringComparison.Ordinal));
            }
        }

        // The same words whether the console, another key or nobody on record owns the slug.
        Assert.Single(details.Distinct());
        Assert.Equal(0, await host.ExecutionsTriggeredByAsync(hostile.Name));
        Assert.Equal(0, await host.QueryAsync(db => db.IdempotencyRecords.CountAsync(r => r.ApiKeyId == hostile.Id)));
        Assert.Equal(0, await host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Actor == hostile.Name)));
        Assert.Equal(before, await CountRecordsAsync());
        Assert.Equal(0, await host.QueryAsync(db => db.PendingInvites.CountAsync(i => i.Email == "mallory@hostile.example")));

        // A slug nobody has is the key's to take.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body(Slug("fresh"), "Hostile Inc", "mallory@hostile.example")))).StatusCode);
    }

    [Fact]
    public async Task A_key_continues_its_own_customer_and_an_idempotent_retry_returns_the_same_execution()
    {
        var key = await host.IssueKeyAsync(ApiScope.Trigger);
        using var client = host.Client(key.Secret);
        var slug = Slug("own");

        var first = await PostAsync(client, Body(slug, "Own Co", "it@own.example"), "own-1");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var firstId = (await ReadAsync(first))["id"]!.GetValue<Guid>();
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(firstId));

        var retry = await PostAsync(client, Body(slug, "Own Co", "it@own.example"), "own-1");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(firstId, (await ReadAsync(retry))["id"]!.GetValue<Guid>());

        // A new request for its own customer: accepted, and the run continues that customer.
        var more = await PostAsync(client, Body(slug, "Own Co", "ops@own.example"), "own-2");
        Assert.Equal(HttpStatusCode.Accepted, more.StatusCode);
        var moreId = (await ReadAsync(more))["id"]!.GetValue<Guid>();
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(moreId));

        var firstOutput = (await GetAsync(client, firstId))["output"]!["create-customer"]!;
        var moreOutput = (await GetAsync(client, moreId))["output"]!["create-customer"]!;
        Assert.True(firstOutput["created"]!.GetValue<bool>());
        Assert.False(moreOutput["created"]!.GetValue<bool>());
        Assert.Equal(firstOutput["customerId"]!.GetValue<Guid>(), moreOutput["customerId"]!.GetValue<Guid>());
        var customer = await CustomerAsync(slug);
        Assert.Equal((ActorKind.ApiKey, key.Id.ToString(), key.Name), (customer.OwnerKind!.Value, customer.OwnerId, customer.OwnerName));
        Assert.Equal(
            ["it@own.example", "ops@own.example"],
            await host.QueryAsync(db => db.PendingInvites.Where(i => i.CustomerId == customer.Id).OrderBy(i => i.Email).Select(i => i.Email).ToListAsync()));
        Assert.Equal(2, await host.ExecutionsTriggeredByAsync(key.Name));
    }

    [Fact]
    public async Task Two_keys_racing_for_one_new_slug_one_wins_and_the_other_fails_without_touching_or_reading_the_customer()
    {
        var a = await host.IssueKeyAsync(ApiScope.Trigger);
        var b = await host.IssueKeyAsync(ApiScope.Trigger);
        using var clientA = host.Client(a.Secret);
        using var clientB = host.Client(b.Secret);
        var slug = Slug("race");

        // Both pass the request-time check: no customer has the slug yet.
        var postA = await clientA.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body(slug, "Alpha Racing", "it@alpha.example")));
        var postB = await clientB.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body(slug, "Bravo Racing", "it@bravo.example")));
        Assert.Equal(HttpStatusCode.Accepted, postA.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, postB.StatusCode);
        var idA = (await ReadAsync(postA))["id"]!.GetValue<Guid>();
        var idB = (await ReadAsync(postB))["id"]!.GetValue<Guid>();

        var outcomes = await Task.WhenAll(RunAsync(idA), RunAsync(idB));

        Assert.Single(outcomes, o => o == RunOutcome.Succeeded);
        Assert.Single(outcomes, o => o == RunOutcome.Failed);
        var aWon = outcomes[0] == RunOutcome.Succeeded;
        var (winner, winnerId, winnerEmail) = aWon ? (a, idA, "it@alpha.example") : (b, idB, "it@bravo.example");
        var (loserId, loserClient, loserEmail) = aWon ? (idB, clientB, "it@bravo.example") : (idA, clientA, "it@alpha.example");
        var customer = await CustomerAsync(slug);
        Assert.Equal((ActorKind.ApiKey, winner.Id.ToString()), (customer.OwnerKind!.Value, customer.OwnerId));
        await AssertRefusedWithoutLeakAsync(loserClient, loserId, customer);

        // Only the winner's request reached the customer.
        Assert.Equal(
            [winnerEmail],
            await host.QueryAsync(db => db.PendingInvites.Where(i => i.CustomerId == customer.Id).Select(i => i.Email).ToListAsync()));
        Assert.Equal(0, await host.QueryAsync(db => db.PendingInvites.CountAsync(i => i.Email == loserEmail)));
        Assert.Equal(1, await host.QueryAsync(db => db.Catalogs.CountAsync(c => c.CustomerId == customer.Id)));
        Assert.Equal(1, await host.QueryAsync(db => db.CustomerAgreements.CountAsync(c => c.CustomerId == customer.Id)));
        Assert.Equal(customer.Id, (await ExecutionOutputAsync(winnerId))["create-customer"]!["customerId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_customer_the_console_creates_between_the_check_and_the_run_is_refused_at_run_time()
    {
        var key = await host.IssueKeyAsync(ApiScope.Trigger);
        using var client = host.Client(key.Secret);
        var slug = Slug("between");

        var post = await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body(slug, "Late Key Ltd", "it@late.example")));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await ReadAsync(post))["id"]!.GetValue<Guid>();
        var customer = await ProvisionFromConsoleAsync(slug, "Console First Ltd");
        var before = await CountRecordsAsync();

        Assert.Equal(RunOutcome.Failed, await RunAsync(id));

        await AssertRefusedWithoutLeakAsync(client, id, customer);
        Assert.Equal(before, await CountRecordsAsync());
        Assert.Equal(0, await host.QueryAsync(db => db.PendingInvites.CountAsync(i => i.Email == "it@late.example")));
        Assert.Equal(ActorKind.User, (await CustomerAsync(slug)).OwnerKind);
    }

    [Fact]
    public async Task A_console_admin_may_provision_onto_a_keys_customer_and_the_audit_trail_records_it()
    {
        var key = await host.IssueKeyAsync(ApiScope.Trigger);
        var customer = await ProvisionWithKeyAsync(key, Slug("adminonto"), "Keyed Co");

        var id = await TriggerFromConsoleAsync(Body(customer.Slug, "Keyed Co", "support@console.example"));
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var output = await ExecutionOutputAsync(id);
        Assert.Equal(customer.Id, output["create-customer"]!["customerId"]!.GetValue<Guid>());
        Assert.Equal(1, await host.QueryAsync(db => db.PendingInvites.CountAsync(i => i.CustomerId == customer.Id && i.Email == "support@console.example")));
        var audit = await host.QueryAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Action == AuditActions.ExecutionUsedExistingCustomer && e.TargetId == id.ToString()));
        Assert.Equal((Admin.Name, nameof(ActorKind.User), AuditTargets.Execution), (audit.Actor, audit.ActorKind, audit.TargetType));
        var after = JsonNode.Parse(audit.AfterJson!)!;
        Assert.Equal(customer.Id, after["customerId"]!.GetValue<Guid>());
        Assert.Equal(key.Name, after["owner"]!.GetValue<string>());
        Assert.Equal(nameof(ActorKind.ApiKey), after["ownerKind"]!.GetValue<string>());

        // The step attempted again for the same execution (as after a lost worker or a database fault, when it had
        // found the customer but not recorded its success) finds the same customer; the trail still says it once.
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var context = new StepContext(id, "create-customer", 2, new StepValues(), scope.ServiceProvider, Requester.Of(Admin));
            var again = await new CreateCustomerStep().ExecuteAsync(
                new CreateCustomerInput { Name = "Keyed Co", Slug = customer.Slug, Country = "US" }, context, default);
            Assert.Equal(customer.Id, again.CustomerId);
        }

        Assert.Equal(1, await host.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.ExecutionUsedExistingCustomer && e.TargetId == id.ToString())));

        // The customer stays the key's: it may go on provisioning it.
        Assert.Equal(key.Id.ToString(), (await CustomerAsync(customer.Slug)).OwnerId);
        using var client = host.Client(key.Secret);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body(customer.Slug, "Keyed Co", "next@keyed.example")))).StatusCode);
    }

    [Fact]
    public async Task A_refused_execution_replays_to_its_key_and_an_admins_rerun_of_it_proceeds_audited_and_out_of_the_keys_sight()
    {
        var owner = await host.IssueKeyAsync(ApiScope.Trigger);
        var late = await host.IssueKeyAsync(ApiScope.Trigger);
        using var client = host.Client(late.Secret);
        var slug = Slug("rerun");

        // The late key's request is accepted before the owner's customer exists, and refused when it runs.
        var post = await PostAsync(client, Body(slug, "Late Co", "it@late-rerun.example"), "late-1");
        var refusedId = (await ReadAsync(post))["id"]!.GetValue<Guid>();
        var customer = await ProvisionWithKeyAsync(owner, slug, "Owner Co");
        Assert.Equal(RunOutcome.Failed, await RunAsync(refusedId));

        // Its idempotent retry is the same (failed) execution, not a 409 and not a second execution.
        var retry = await PostAsync(client, Body(slug, "Late Co", "it@late-rerun.example"), "late-1");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(refusedId, (await ReadAsync(retry))["id"]!.GetValue<Guid>());
        Assert.Equal(1, await host.ExecutionsTriggeredByAsync(late.Name));

        // An Admin who re-runs it provisions onto the existing customer on their own authority: recorded, and the
        // trigger-only key cannot read the re-run (people start re-runs; its output is the owner's customer).
        Guid rerunId;
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            rerunId = (await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .RerunAsync(refusedId, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 12: owner asked us to add their contact"), Admin, default)).Id;
        }

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(rerunId));
        Assert.Equal(1, await host.QueryAsync(db => db.PendingInvites.CountAsync(i => i.CustomerId == customer.Id && i.Email == "it@late-rerun.example")));
        Assert.Equal(1, await host.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.ExecutionUsedExistingCustomer && e.TargetId == rerunId.ToString())));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/executions/{rerunId}")).StatusCode);
        var listed = (await ReadAsync(await client.GetAsync("/api/v1/executions?limit=200")))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToList();
        Assert.Equal([refusedId], listed);
        Assert.Equal(owner.Id.ToString(), (await CustomerAsync(slug)).OwnerId);
    }

    private static async Task AssertRefusedWithoutLeakAsync(HttpClient client, Guid executionId, Customer customer)
    {
        var response = await client.GetAsync($"/api/v1/executions/{executionId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var detail = JsonNode.Parse(text)!;
        Assert.Equal("Failed", detail["status"]!.GetValue<string>());
        Assert.Null(detail["output"]);
        Assert.Equal("create-customer", detail["error"]!["step"]!.GetValue<string>());
        Assert.Equal(CustomerAccess.NotAvailable(customer.Slug), detail["error"]!["message"]!.GetValue<string>());
        Assert.DoesNotContain(customer.Id.ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(customer.Name, text, StringComparison.Ordinal);
        Assert.All(detail["steps"]!.AsArray(), s => Assert.NotEqual("Succeeded", s!["status"]!.GetValue<string>()));
    }

    private async Task<Customer> ProvisionWithKeyAsync(IssuedApiKey key, string slug, string name)
    {
        using var client = host.Client(key.Secret);
        var response = await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(Body(slug, name, $"it@{slug}.example")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync((await ReadAsync(response))["id"]!.GetValue<Guid>()));
        return await CustomerAsync(slug);
    }

    private async Task<Customer> ProvisionFromConsoleAsync(string slug, string name)
    {
        var id = await TriggerFromConsoleAsync(Body(slug, name, $"it@{slug}.example"));
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));
        return await CustomerAsync(slug);
    }

    // The console's path: ExecutionService with a signed-in Admin, the composed input the trigger form builds.
    private async Task<Guid> TriggerFromConsoleAsync(string requestBody)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var definition = scope.ServiceProvider.GetRequiredService<WorkflowRegistry>().Get(ProvisioningRequest.WorkflowKey);
        var input = ProvisioningRequest.Validate(definition, JsonNode.Parse(requestBody)!.AsObject());
        return (await scope.ServiceProvider.GetRequiredService<ExecutionService>().CreateAsync(definition.Key, input.ComposedJson, Admin, default)).Id;
    }

    private Task<Customer> InsertLegacyCustomerAsync(string slug, string name) =>
        host.QueryAsync(async db =>
        {
            var customer = Customer.Create(name, slug, "GB", new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc));
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            return customer;
        });

    private Task<RunOutcome> RunAsync(Guid id) => host.App.Services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);

    private Task<Customer> CustomerAsync(string slug) => host.QueryAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Slug == slug));

    private async Task<JsonNode> ExecutionOutputAsync(Guid id) => JsonNode.Parse((await ExecutionAsync(id)).OutputJson!)!;

    private Task<WorkflowExecution> ExecutionAsync(Guid id) => host.QueryAsync(db => db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.Id == id));

    private Task<(int Customers, int Invites, int Admins, int Catalogs, int Agreements, int Plans)> CountRecordsAsync() =>
        host.QueryAsync(async db => (
            await db.Customers.CountAsync(), await db.PendingInvites.CountAsync(), await db.CustomerAdmins.CountAsync(),
            await db.Catalogs.CountAsync(), await db.CustomerAgreements.CountAsync(), await db.SubscriptionPlans.CountAsync()));

    private static string Slug(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static string Body(string slug, string name, string adminEmail)
    {
        var body = JsonNode.Parse(ProvisioningExample.Json)!.AsObject();
        body["enterpriseCustomer"]!["slug"] = slug;
        body["enterpriseCustomer"]!["name"] = name;
        body["pendingAdmins"] = new JsonArray(new JsonObject { ["userEmail"] = adminEmail });
        body["trialSubscriptionPlan"]!["salesforceOpportunityLineItem"] = $"{slug}-trial";
        body["firstPaidSubscriptionPlan"]!["salesforceOpportunityLineItem"] = $"{slug}-paid";
        return body.ToJsonString();
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/provisioning") { Content = ApiHost<TDatabase>.Json(body) };
        request.Headers.Add(ProvisioningEndpoints.IdempotencyHeader, idempotencyKey);
        return await client.SendAsync(request);
    }

    private static async Task<JsonNode> GetAsync(HttpClient client, Guid id) =>
        await ReadAsync(await client.GetAsync($"/api/v1/executions/{id}"));

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("An empty answer.");
}

/// <summary>The real application without its execution workers: tests run each execution themselves, when they choose.</summary>
public class PausedApiHost<TDatabase>() : ApiHost<TDatabase>(
    new Dictionary<string, string?> { ["Api:RateLimit:PermitLimit"] = "100000" },
    services =>
    {
        services.AddSingleton<IExecutionDispatcher, RecordingDispatcher>();
        ConsoleAppFactory.WithoutExecutionWorkers(services);
    })
    where TDatabase : DatabaseFixture, new();

public sealed class SqlitePausedApiHost : PausedApiHost<SqliteDatabaseFixture>;

public sealed class PostgresPausedApiHost : PausedApiHost<PostgresDatabaseFixture>;

public sealed class SqliteCustomerIsolationApiTests(SqlitePausedApiHost host)
    : CustomerIsolationApiTests<SqliteDatabaseFixture>(host), IClassFixture<SqlitePausedApiHost>;

public sealed class PostgresCustomerIsolationApiTests(PostgresPausedApiHost host)
    : CustomerIsolationApiTests<PostgresDatabaseFixture>(host), IClassFixture<PostgresPausedApiHost>;
