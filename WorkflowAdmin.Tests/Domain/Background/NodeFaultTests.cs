using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Provisioning.Api;
using WorkflowAdmin.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WorkflowAdmin.Tests.Domain.Background;

/// <summary>
/// Nothing stuck, nothing lost, nothing twice, with real processes on PostgreSQL: one web node and two worker nodes
/// (each <c>dotnet WorkflowAdmin.dll</c>), a few hundred provisioning requests posted to the web node's API by
/// concurrent clients, and meanwhile either worker processes killed with <c>kill -9</c> and restarted, or every
/// database session of the three nodes terminated with <c>pg_terminate_backend</c>. Short lease, grace and sweep
/// settings keep each run to a minute or two on a loaded two-core machine.
/// </summary>
public sealed class NodeFaultTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IAsyncLifetime, IClassFixture<PostgresDatabaseFixture>
{
    private const int Executions = 240;
    private const int Clients = 8;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PendingGrace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);

    // Once the faults stop, every execution must be final within lease + grace + one sweep of becoming stuck; the
    // rest is the backlog draining at the speed of two workers on a busy machine.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(3);

    // Posting the requests takes a minute or two; a node restart takes seconds, a minute on a machine this busy.
    private static readonly TimeSpan FaultPhaseLimit = TimeSpan.FromMinutes(6);

    private readonly string queueSchema = $"hangfire_{Guid.NewGuid():N}"[..24];
    private readonly List<Task<AppProcess>> workers = [];
    private AppProcess web = null!;
    private string secret = "";
    private int posted;
    private int retried;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        await using (var services = TestServices.Create(database))
        {
            secret = (await services.InScopeAsync(sp => sp.GetRequiredService<ApiKeyService>()
                .IssueAsync("fault-test", [ApiScope.Trigger, ApiScope.Read], Actor.System, CancellationToken.None))).Secret;
        }

        web = await StartNodeAsync("Web");
        workers.Add(StartNodeAsync("Worker"));
        workers.Add(StartNodeAsync("Worker"));
        await Task.WhenAll(workers);
    }

    public async Task DisposeAsync()
    {
        foreach (var start in workers)
        {
            try
            {
                await (await start).DisposeAsync();
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // It never started; the test has already failed for that.
            }
        }

        if (web is not null)
        {
            await web.DisposeAsync();
        }
    }

    [Fact]
    public async Task Workers_killed_again_and_again_lose_nothing_and_provision_each_record_exactly_once()
    {
        var clock = Stopwatch.StartNew();
        using var triggering = new CancellationTokenSource();
        var trigger = TriggerAllAsync(triggering.Token);

        // Every couple of seconds, while executions are running, every worker that is up dies with kill -9 in
        // whatever it was doing (reserving executions, inside a step, in a checkpoint), and new processes start in their
        // place, while the requests arrive and after. Only workers run executions, so a kill while one is Running
        // always interrupts work; once nothing has run for a while the backlog is gone and the killing stops.
        var kills = 0;
        var random = new Random(7);
        while (kills < 6 || !trigger.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1000 + random.Next(1500)));
            if (!await AnyRunningWithinAsync(TimeSpan.FromSeconds(20)))
            {
                if (trigger.IsCompleted)
                {
                    break;
                }

                continue;
            }

            for (var victim = 0; victim < workers.Count; victim++)
            {
                if (!workers[victim].IsCompletedSuccessfully)
                {
                    continue;
                }

                var node = await workers[victim];
                var pid = node.ProcessId;
                node.Kill();
                kills++;
                await node.DisposeAsync();
                workers[victim] = StartNodeAsync("Worker");
                output.WriteLine($"{clock.Elapsed:mm\\:ss\\.f} worker process {pid} killed; {posted} posted, {retried} retried");
            }

            Assert.True(clock.Elapsed < FaultPhaseLimit, $"Still triggering after {clock.Elapsed}.\n{web.Tail()}");
        }

        var ids = await trigger;
        await Task.WhenAll(workers);
        output.WriteLine($"{ids.Count} executions posted and {kills} workers killed in {clock.Elapsed:g}.");

        await AssertEverythingFinishedExactlyOnceAsync(ids, clock, isExpectedFailure: a => a.ErrorType == ErrorInfo.WorkerLostType);
        var lost = await CountAsync(db => db.StepAttempts.CountAsync(a => a.ErrorType == ErrorInfo.WorkerLostType));
        output.WriteLine($"{lost} attempts recorded as WorkerLost.");
        // A worker killed while it runs an execution leaves it Running; recovery must have taken some back, or the
        // kills hit only idle workers and the test tested nothing. A kill often lands between a claim and the first
        // attempt's start (a fresh worker compiles its queries there), so not every recovery has an attempt to record;
        // every attempt that was lost is recorded, and only by a recovery.
        var recoveries = await CountAsync(db => db.WorkflowExecutions.SumAsync(e => e.RecoveryCount));
        Assert.True(recoveries > 0, $"{kills} kills of workers while executions ran interrupted none: the test did not test anything.");
        Assert.InRange(lost, 0, recoveries);
    }

    [Fact]
    public async Task Database_sessions_killed_again_and_again_lose_nothing_and_provision_each_record_exactly_once()
    {
        var clock = Stopwatch.StartNew();
        using var triggering = new CancellationTokenSource();
        var trigger = TriggerAllAsync(triggering.Token);

        // Every session of the three nodes (web requests, runners, heartbeats, the job queue, recovery) is
        // terminated at once, from a side connection, again and again while the work runs.
        var rounds = 0;
        var terminated = 0L;
        var random = new Random(11);
        while (rounds < 8 || !trigger.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1000 + random.Next(1500)));
            terminated += await TerminateSessionsAsync();
            rounds++;
            output.WriteLine($"{clock.Elapsed:mm\\:ss\\.f} sessions terminated; {posted} posted, {retried} retried");
            Assert.True(clock.Elapsed < FaultPhaseLimit, $"Still triggering after {clock.Elapsed}.\n{web.Tail()}");
        }

        var ids = await trigger;
        output.WriteLine($"{ids.Count} executions posted in {clock.Elapsed:g}; {rounds} rounds terminated {terminated} sessions.");

        // This process's own idle connections to the database were terminated too.
        NpgsqlConnection.ClearAllPools();
        Assert.True(terminated > rounds, "The rounds terminated (almost) no session: the test did not test anything.");

        // A failed attempt here is one a dropped connection interrupted: inside its step, or its worker's checkpoint
        // (then recovery records it as WorkerLost).
        await AssertEverythingFinishedExactlyOnceAsync(
            ids, clock, isExpectedFailure: a => a.ErrorType == ErrorInfo.WorkerLostType || a.ErrorStackTrace?.Contains("Npgsql", StringComparison.Ordinal) == true);
    }

    private async Task AssertEverythingFinishedExactlyOnceAsync(IReadOnlyList<Guid> ids, Stopwatch clock, Func<StepAttempt, bool> isExpectedFailure)
    {
        Assert.Equal(Executions, ids.Count);
        Assert.Equal(Executions, ids.Distinct().Count());
        var settleFrom = clock.Elapsed;
        while (true)
        {
            var open = await CountAsync(db => db.WorkflowExecutions.CountAsync(e =>
                e.Status == ExecutionStatus.Pending || e.Status == ExecutionStatus.Running));
            if (open == 0)
            {
                break;
            }

            if (clock.Elapsed - settleFrom >= SettleTimeout)
            {
                Assert.Fail($"{open} executions are still not final {SettleTimeout} after the faults stopped:\n{await DescribeOpenAsync()}");
            }

            await Task.Delay(250);
        }

        output.WriteLine($"Every execution final {clock.Elapsed - settleFrom:g} after the faults stopped ({clock.Elapsed:g} in all).");

        await using var db = database.CreateDbContext();
        var executions = await db.WorkflowExecutions.AsNoTracking()
            .Select(e => new { e.Id, e.Status, e.BusinessKey, e.ErrorType, e.ErrorMessage, e.RecoveryCount })
            .ToListAsync();
        Assert.Equal(Executions, executions.Count);
        Assert.All(executions, e => Assert.True(
            e.Status == ExecutionStatus.Succeeded, $"Execution {e.Id} ({e.BusinessKey}) is {e.Status}: {e.ErrorType} {e.ErrorMessage}"));
        output.WriteLine($"{executions.Count(e => e.RecoveryCount > 0)} executions were resumed by recovery ({executions.Sum(e => e.RecoveryCount)} times).");

        // Each provisioned record exactly once: one customer per slug, and one of each record per customer.
        var slugs = await db.Customers.Select(c => c.Slug).ToListAsync();
        Assert.Equal(Slugs().Order(), slugs.Order());
        Assert.Equal(Executions, await db.Catalogs.CountAsync());
        Assert.Equal(Executions, await db.CustomerAgreements.CountAsync());
        Assert.Equal(Executions * 2, await db.SubscriptionPlans.CountAsync());
        Assert.Equal(Executions, await db.SubscriptionPlans.Where(p => p.IsTrial).Select(p => p.AgreementId).Distinct().CountAsync());
        Assert.Equal(Executions, await db.SubscriptionPlans.Where(p => !p.IsTrial).Select(p => p.AgreementId).Distinct().CountAsync());
        Assert.Equal(Executions, await db.PlanRenewals.CountAsync());
        Assert.Equal(Executions, await db.Subsidies.CountAsync());
        Assert.Equal(Executions, await db.OutboxMessages.CountAsync());
        Assert.Equal(Executions, await db.OutboxMessages.Select(m => m.IdempotencyKey).Distinct().CountAsync());
        Assert.Equal(Executions * 2, await db.PendingInvites.CountAsync());

        // Every attempt ended, and each one that failed was lost to the fault, recorded as such.
        var attempts = await db.StepAttempts.AsNoTracking().ToListAsync();
        Assert.DoesNotContain(attempts, a => a.Status == ExecutionStatus.Running);
        Assert.All(attempts.Where(a => a.Status == ExecutionStatus.Failed), a => Assert.True(
            isExpectedFailure(a), $"Attempt {a.Id} failed with {a.ErrorType}: {a.ErrorMessage}"));
        output.WriteLine($"{attempts.Count} attempts, {attempts.Count(a => a.Status == ExecutionStatus.Failed)} of them failed and resumed.");
    }

    /// <summary>
    /// Posts one provisioning request per customer from <see cref="Clients"/> concurrent clients. A request that gets
    /// no answer, or a 5xx (a node restarting, a connection terminated mid-request), is sent again with the same
    /// Idempotency-Key, as an integration would, so it creates its execution once.
    /// </summary>
    private async Task<IReadOnlyList<Guid>> TriggerAllAsync(CancellationToken cancellationToken)
    {
        var queue = new Queue<string>(Slugs());
        var ids = new List<Guid>();
        using var client = new HttpClient { BaseAddress = web.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(
            async () =>
            {
                while (true)
                {
                    string slug;
                    lock (queue)
                    {
                        if (!queue.TryDequeue(out slug!))
                        {
                            return;
                        }
                    }

                    var id = await PostAsync(client, slug, cancellationToken);
                    Interlocked.Increment(ref posted);
                    lock (ids)
                    {
                        ids.Add(id);
                    }
                }
            },
            cancellationToken)));
        return ids;
    }

    private async Task<Guid> PostAsync(HttpClient client, string slug, CancellationToken cancellationToken)
    {
        var body = JsonNode.Parse(ProvisioningExample.Json)!.AsObject();
        body["enterpriseCustomer"]!["slug"] = slug;
        body["trialSubscriptionPlan"]!["salesforceOpportunityLineItem"] = $"{slug}-trial";
        body["firstPaidSubscriptionPlan"]!["salesforceOpportunityLineItem"] = $"{slug}-paid";
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/provisioning")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(ProvisioningEndpoints.IdempotencyHeader, slug);
            try
            {
                using var response = await client.SendAsync(request, cancellationToken);
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                {
                    var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
                    return json["id"]!.GetValue<Guid>();
                }

                Assert.True(
                    (int)response.StatusCode >= 500 && attempt < 20,
                    $"POST {slug} answered {(int)response.StatusCode} (attempt {attempt}): {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
            catch (HttpRequestException) when (attempt < 20)
            {
            }
            catch (TaskCanceledException) when (attempt < 20 && !cancellationToken.IsCancellationRequested)
            {
            }

            Interlocked.Increment(ref retried);
            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task<long> TerminateSessionsAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        // In the select list, so that only the rows the WHERE kept are terminated (never this session).
        await using var command = new NpgsqlCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", connection);
        command.Parameters.AddWithValue("db", builder.Database!);
        var terminated = 0L;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            terminated += reader.GetBoolean(0) ? 1 : 0;
        }

        return terminated;
    }

    private async Task<T> CountAsync<T>(Func<WorkflowAdmin.Domain.Data.AppDbContext, Task<T>> query)
    {
        await using var db = database.CreateDbContext();
        return await query(db);
    }

    private Task<AppProcess> StartNodeAsync(string role) => AppProcess.StartAsync(new AppProcessOptions
    {
        Provider = database.Provider,
        ConnectionString = database.ConnectionString,
        Role = role,
        Environment = "Production",
        Settings = new Dictionary<string, string?>
        {
            ["Workflows:Lease"] = Lease.ToString(),
            ["Workflows:RetryDelay"] = "00:00:00.100",

            // Faults are repeated here far beyond what one execution meets in life; the cap on recoveries (a step
            // that kills its worker every time) is not what this test is about.
            ["Workflows:MaxRecoveries"] = "50",
            ["Background:WorkerCount"] = "4",
            ["Background:PollInterval"] = "00:00:00.250",
            ["Background:RecoveryInterval"] = RecoveryInterval.ToString(),
            ["Background:PendingGrace"] = PendingGrace.ToString(),
            ["Background:JobInvisibilityTimeout"] = Lease.ToString(),
            ["Background:JobLockTimeout"] = Lease.ToString(),
            ["Background:PostgreSqlSchema"] = queueSchema,
            ["Api:RateLimit:PermitLimit"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        },
    });

    private static IEnumerable<string> Slugs() => Enumerable.Range(0, Executions).Select(i => $"fault-{i:D4}");

    // Why each open execution is open, from its own row: a Pending one's HeartbeatAt is when a worker reserved it
    // (decision 0019), a Running one's its runner's last beat, so a stuck execution can be told from a slow one.
    private async Task<string> DescribeOpenAsync()
    {
        await using var db = database.CreateDbContext();
        var open = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Status == ExecutionStatus.Pending || e.Status == ExecutionStatus.Running)
            .Select(e => new { e.Id, e.Status, e.CurrentStepKey, e.RecoveryCount, e.HeartbeatAt, e.ModifiedAt })
            .Take(20)
            .ToListAsync();
        var now = await CountAsync(d => d.Database.SqlQueryRaw<DateTime>("SELECT now() AT TIME ZONE 'utc' AS \"Value\"").SingleAsync());
        var lines = new List<string> { $"database time {now:HH:mm:ss.fff}" };
        lines.AddRange(open.Select(e =>
            $"{e.Id} {e.Status} step {e.CurrentStepKey ?? "-"} recoveries {e.RecoveryCount} reserved or beat at {e.HeartbeatAt:HH:mm:ss.fff} modified {e.ModifiedAt:HH:mm:ss.fff}"));
        return string.Join('\n', lines);
    }

    private async Task<bool> AnyRunningWithinAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        do
        {
            if (await CountAsync(db => db.WorkflowExecutions.AnyAsync(e => e.Status == ExecutionStatus.Running)))
            {
                return true;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return false;
    }
}
