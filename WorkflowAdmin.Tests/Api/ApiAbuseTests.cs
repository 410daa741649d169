using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Tests.Console.Executions.Live;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Api;

/// <summary>
/// Abuse of the API (decision 0014): guessed keys are refused per address before the database is asked, long-polls
/// are capped per key and per node and cost at most a query a second, list parameters never reach the database
/// unchecked, and no answer carries an exception's or the database's own text. Every database command the app
/// sends is counted. Each test connects from a loopback address of its own, so per-address budgets do not mix.
/// </summary>
public abstract class ApiAbuseTests<TDatabase>(ApiAbuseTests<TDatabase>.AbuseHost host)
    where TDatabase : DatabaseFixture, new()
{
    [Fact]
    public async Task A_flood_of_bad_keys_gets_429_and_the_database_sees_no_key_lookups_beyond_the_limit()
    {
        var attacker = ClientAddress.Next();
        host.Commands.Clear();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 40; i++)
        {
            using var client = ClientAddress.Client(host.App.BaseAddress, attacker);
            client.DefaultRequestHeaders.Authorization = new("Bearer", "wfa_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));
            answers.Add(await client.GetAsync("/api/v1/executions"));
        }

        Assert.All(answers.Take(AbuseHost.InvalidKeyLimit), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.All(answers.Skip(AbuseHost.InvalidKeyLimit), a =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode);
            Assert.Equal("application/problem+json", a.Content.Headers.ContentType?.MediaType);
            Assert.InRange(a.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        });
        var lookups = host.Commands.Commands.Count(c => c.Contains("ApiKeys", StringComparison.Ordinal));
        Assert.Equal(AbuseHost.InvalidKeyLimit, lookups);

        // The budget is the address's: a valid key from elsewhere is served.
        var key = await host.IssueKeyAsync(ApiScope.Read);
        using var honest = ClientAddress.Client(host.App.BaseAddress, ClientAddress.Next());
        honest.DefaultRequestHeaders.Authorization = new("Bearer", key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await honest.GetAsync("/api/v1/executions")).StatusCode);
    }

    [Fact]
    public async Task A_key_that_worked_from_an_address_keeps_working_after_others_there_spend_its_budget()
    {
        // An office behind one address: its integration's key works, then someone there pastes wrong keys.
        var office = ClientAddress.Next();
        var integration = await host.IssueKeyAsync(ApiScope.Read);
        var soonRevoked = await host.IssueKeyAsync(ApiScope.Read);
        var neverUsedHere = await host.IssueKeyAsync(ApiScope.Read);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(office, integration.Secret));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(office, soonRevoked.Secret));
        for (var i = 0; i < AbuseHost.InvalidKeyLimit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(office, "wfa_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(office, "wfa_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(office, integration.Secret));

        // A valid key this node has not seen from anywhere yet waits for the window like any other: the database is
        // asked only about keys that were genuinely valid a moment ago.
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(office, neverUsedHere.Secret));

        // Remembering a key never skips its lookup: a key revoked since is refused at once.
        await host.RevokeAsync(soonRevoked.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(office, soonRevoked.Secret));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(office, integration.Secret));
    }

    private async Task<HttpStatusCode> GetAsync(System.Net.IPAddress from, string key)
    {
        using var client = ClientAddress.Client(host.App.BaseAddress, from);
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return (await client.GetAsync("/api/v1/executions")).StatusCode;
    }

    [Fact]
    public async Task Requests_without_any_key_count_against_the_address_too()
    {
        using var client = ClientAddress.Client(host.App.BaseAddress, ClientAddress.Next());
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < AbuseHost.InvalidKeyLimit + 3; i++)
        {
            statuses.Add((await client.GetAsync("/api/v1/executions")).StatusCode);
        }

        Assert.Equal(
            [.. Enumerable.Repeat(HttpStatusCode.Unauthorized, AbuseHost.InvalidKeyLimit), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)],
            statuses);
    }

    [Fact]
    public async Task Long_polls_are_capped_per_key_and_per_node_with_429_and_retry_after()
    {
        var execution = await host.AddPendingAsync();
        var first = await host.IssueKeyAsync(ApiScope.Read);
        var second = await host.IssueKeyAsync(ApiScope.Read);
        var third = await host.IssueKeyAsync(ApiScope.Read);
        using var a = host.Client(first.Secret);
        using var b = host.Client(second.Secret);
        using var c = host.Client(third.Secret);
        var url = $"/api/v1/executions/{execution}?wait=4";

        var held = new List<Task<HttpResponseMessage>> { a.GetAsync(url), a.GetAsync(url) };
        await host.WaitForLongPollsAsync(2);
        var overKey = await a.GetAsync(url);
        Assert.Equal(HttpStatusCode.TooManyRequests, overKey.StatusCode);
        Assert.NotNull(overKey.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"/api/v1/executions/{execution}")).StatusCode);

        held.Add(b.GetAsync(url));
        await host.WaitForLongPollsAsync(3);
        var overNode = await c.GetAsync(url);
        Assert.Equal(HttpStatusCode.TooManyRequests, overNode.StatusCode);

        foreach (var answer in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        Assert.Equal(0, host.LongPolls.Held);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync($"/api/v1/executions/{execution}?wait=1")).StatusCode);
    }

    [Fact]
    public async Task A_waiting_request_reads_the_execution_at_most_once_a_second()
    {
        var execution = await host.AddPendingAsync();
        var key = await host.IssueKeyAsync(ApiScope.Read);
        using var client = host.Client(key.Secret);
        await client.GetAsync($"/api/v1/executions/{execution}");
        host.Commands.Clear();

        var response = await client.GetAsync($"/api/v1/executions/{execution}?wait=3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reads = host.Commands.Commands.Count(c => c.Contains("WorkflowExecutions", StringComparison.Ordinal));

        // One read when it arrives, one a second while it waits (three), and the final read of the whole execution.
        Assert.InRange(reads, 2, 3 + 2);
    }

    [Fact]
    public async Task Execution_errors_show_a_steps_business_refusal_but_never_an_internal_exceptions_text()
    {
        var key = await host.IssueKeyAsync(ApiScope.Read);
        using var client = host.Client(key.Secret);
        const string Leak = "23505: duplicate key value violates unique constraint \"PK_Customers\" on host db-primary.internal";
        var internalFailure = await host.AddFailedAsync(new ErrorInfo("Npgsql.PostgresException", Leak, "at Npgsql.NpgsqlConnector..."));
        var businessFailure = await host.AddFailedAsync(new ErrorInfo(
            typeof(ExternalSystemException).FullName!, "License manager rejected the plan: start date after expiration", null));

        var hidden = await client.GetStringAsync($"/api/v1/executions/{internalFailure}");
        var listed = await client.GetStringAsync("/api/v1/executions?status=Failed&limit=200");
        var shown = JsonNode.Parse(await client.GetStringAsync($"/api/v1/executions/{businessFailure}"))!;

        foreach (var text in new[] { hidden, listed })
        {
            Assert.DoesNotContain("duplicate key", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
            Assert.DoesNotContain("db-primary", text, StringComparison.Ordinal);
        }

        var error = JsonNode.Parse(hidden)!["error"]!;
        Assert.Equal((PublicError.InternalType, PublicError.InternalMessage), (error["type"]!.GetValue<string>(), error["message"]!.GetValue<string>()));
        Assert.Equal(PublicError.InternalType, JsonNode.Parse(hidden)!["steps"]![0]!["error"]!["type"]!.GetValue<string>());
        Assert.Equal("License manager rejected the plan: start date after expiration", shown["error"]!["message"]!.GetValue<string>());
        Assert.Equal("License manager rejected the plan: start date after expiration", shown["steps"]![0]!["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("page=9000000", "page")]
    [InlineData("sort=nonsense", "sort")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=99999999999999999999", "limit")]
    [InlineData("limit=1e3", "limit")]
    [InlineData("cursor=%25%25%25", "cursor")]
    [InlineData("cursor=OTIyMzM3MjAzNjg1NDc3NTgwNy4w", "cursor")]
    [InlineData("createdAfter=99999-01-01", "createdAfter")]
    [InlineData("createdBefore=2026-02-30", "createdBefore")]
    [InlineData("status=1", "status")]
    [InlineData("status=Failed'%20OR%201=1--", "status")]
    public async Task Bad_list_parameters_get_a_400_naming_the_parameter_and_no_query(string query, string parameter)
    {
        var key = await host.IssueKeyAsync(ApiScope.Read);
        using var client = host.Client(key.Secret);
        await client.GetAsync("/api/v1/executions?limit=1");
        host.Commands.Clear();

        var response = await client.GetAsync($"/api/v1/executions?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]![parameter]);
        Assert.NotNull(problem["traceId"]);
        Assert.DoesNotContain(host.Commands.Commands, c => c.Contains("WorkflowExecutions", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("status=Failed&status=Failed&status=failed,FAILED")]
    [InlineData("createdAfter=0001-01-01T00:00:00Z&createdBefore=9999-12-31T23:59:59Z")]
    [InlineData("businessKey=%27%3B%20DROP%20TABLE%20%22WorkflowExecutions%22%3B--&workflow=%3Cscript%3E")]
    [InlineData("limit=200")]
    public async Task Odd_but_valid_list_parameters_get_a_page(string query)
    {
        var key = await host.IssueKeyAsync(ApiScope.Read);
        using var client = host.Client(key.Secret);

        var response = await client.GetAsync($"/api/v1/executions?{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]);
    }

    public sealed class AbuseHost : ApiHost<TDatabase>
    {
        public const int InvalidKeyLimit = 5;

        private readonly CommandCounter commands;

        public AbuseHost()
            : this(new CommandCounter())
        {
        }

        private AbuseHost(CommandCounter commands)
            : base(
                new Dictionary<string, string?>
                {
                    ["Api:RateLimit:PermitLimit"] = "100000",
                    ["Api:InvalidKeyLimit:PermitLimit"] = InvalidKeyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Api:InvalidKeyLimit:Window"] = "00:05:00",
                    ["Api:LongPoll:MaxPerKey"] = "2",
                    ["Api:LongPoll:MaxPerNode"] = "3",

                    // Nothing in the background reads executions while commands are counted.
                    ["Background:RecoveryInterval"] = "01:00:00",
                },
                services =>
                {
                    services.ConfigureDbContext<SqliteAppDbContext>((_, o) => o.AddInterceptors(commands), ServiceLifetime.Singleton);
                    services.ConfigureDbContext<PostgreSqlAppDbContext>((_, o) => o.AddInterceptors(commands), ServiceLifetime.Singleton);

                    // Nor a worker, which would run every Pending row (the table is the queue, decision 0019).
                    ConsoleAppFactory.WithoutExecutionWorkers(services);
                }) => this.commands = commands;

        public CommandCounter Commands => commands;

        internal LongPollSlots LongPolls => App.Services.GetRequiredService<LongPollSlots>();

        public async Task WaitForLongPollsAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (LongPolls.Held < count)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        /// <summary>A Pending execution nobody runs: this host has no execution workers.</summary>
        public async Task<Guid> AddPendingAsync()
        {
            var execution = WorkflowExecution.Create(
                new ProvisioningWorkflow().Key, 1, "{}", "abuse-" + Guid.NewGuid().ToString("N")[..8], new Trigger("someone", TriggerSource.Console), DateTime.UtcNow);
            await QueryAsync(async db =>
            {
                db.WorkflowExecutions.Add(execution);
                return await db.SaveChangesAsync();
            });
            return execution.Id;
        }

        public async Task<Guid> AddFailedAsync(ErrorInfo error)
        {
            var now = DateTime.UtcNow;
            var execution = WorkflowExecution.Create(
                new ProvisioningWorkflow().Key, 1, "{}", "failed-" + Guid.NewGuid().ToString("N")[..8], new Trigger("someone", TriggerSource.Console), now);
            var step = execution.AddPendingStep("create-customer", "{}");
            execution.Start(now);
            step.StartAttempt(now);
            step.FailAttempt(error, isFinal: true, now);
            execution.Fail(step.StepKey, error, now);
            await QueryAsync(async db =>
            {
                db.WorkflowExecutions.Add(execution);
                return await db.SaveChangesAsync();
            });
            return execution.Id;
        }
    }
}

public sealed class SqliteApiAbuseTests(ApiAbuseTests<SqliteDatabaseFixture>.AbuseHost host)
    : ApiAbuseTests<SqliteDatabaseFixture>(host), IClassFixture<ApiAbuseTests<SqliteDatabaseFixture>.AbuseHost>;

public sealed class PostgresApiAbuseTests(ApiAbuseTests<PostgresDatabaseFixture>.AbuseHost host)
    : ApiAbuseTests<PostgresDatabaseFixture>(host), IClassFixture<ApiAbuseTests<PostgresDatabaseFixture>.AbuseHost>;
