using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Provisioning.Api;
using WorkflowAdmin.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WorkflowAdmin.Tests.Domain.Auditing;

/// <summary>
/// The audit sealer of decision 0015 with two real processes on one PostgreSQL database, both running their sealer
/// (every node does): audited API writes go through both at once, exactly one of them seals, the chain comes out
/// complete, gap-free and verified; then the leader dies with <c>kill -9</c> (it cannot give its lease up) and the other
/// node takes over once that lease has run out, and the chain, with the entries written meanwhile, still verifies.
/// A short lease keeps it to well under a minute.
/// </summary>
public sealed class AuditSealerProcessTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IAsyncLifetime, IClassFixture<PostgresDatabaseFixture>
{
    private const int WritesPerNode = 30;
    private const int Clients = 4;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    // The takeover is due when the dead leader's lease ends, plus one sealing interval; the rest is room for a busy
    // two-core machine, where a tick can come late by seconds.
    private static readonly TimeSpan TakeoverSlack = TimeSpan.FromSeconds(10);

    private readonly string queueSchema = $"hangfire_{Guid.NewGuid():N}"[..24];
    private readonly List<AppProcess> nodes = [];
    private string secret = "";

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        await using (var services = TestServices.Create(database))
        {
            secret = (await services.InScopeAsync(sp => sp.GetRequiredService<ApiKeyService>()
                .IssueAsync("sealer-test", [ApiScope.Trigger], Actor.System, CancellationToken.None))).Secret;
        }

        // One after the other: the first creates the Data Protection key and the queue schema the second then finds.
        nodes.Add(await StartNodeAsync());
        nodes.Add(await StartNodeAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_nodes_seal_one_complete_chain_and_when_the_leader_is_killed_the_other_takes_over_after_its_lease()
    {
        var clock = Stopwatch.StartNew();

        // Audited writes through both nodes at once, while both sealers run.
        await Task.WhenAll(nodes.Select((node, n) => PostManyAsync(node, Enumerable.Range(0, WritesPerNode).Select(i => $"seal-{n}-{i:D3}"))));
        var firstPhase = await WaitUntilAllSealedAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1 + (2 * WritesPerNode), firstPhase.Entries);
        await AssertChainCompleteAsync(firstPhase.Entries);

        // Exactly one node leads; the head names it.
        var leader = nodes.Single(n => firstPhase.SealerId.Contains($"/{n.ProcessId}/", StringComparison.Ordinal));
        var survivor = nodes.Single(n => n != leader);

        // kill -9: no shutdown code, so the lease is not given up. Writes continue through the survivor.
        leader.Kill();
        var killedAt = DateTime.UtcNow;
        var deadLease = await CountAsync(db => db.AuditChainHeads.AsNoTracking().Select(h => h.SealerLeaseExpiresAt).SingleAsync());
        Assert.NotNull(deadLease);
        await PostManyAsync(survivor, Enumerable.Range(0, 10).Select(i => $"after-kill-{i:D3}"));

        // The survivor respects the dead leader's lease: until it ends, the new entries stay unsealed.
        while (DateTime.UtcNow < deadLease.Value - TimeSpan.FromMilliseconds(300))
        {
            Assert.Equal(firstPhase.Entries, await CountAsync(db => db.AuditEntries.LongCountAsync(e => e.Sequence != null)));
            await Task.Delay(100);
        }

        // Then it takes over within a sealing interval or so, and seals everything written meanwhile into the same chain.
        var secondPhase = await WaitUntilAllSealedAsync(Lease + Interval + TakeoverSlack);
        var tookOver = DateTime.UtcNow - killedAt;
        Assert.Contains($"/{survivor.ProcessId}/", secondPhase.SealerId, StringComparison.Ordinal);
        Assert.Equal(firstPhase.Entries + 10, secondPhase.Entries);
        await AssertChainCompleteAsync(secondPhase.Entries);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{firstPhase.Entries} entries sealed by pid {leader.ProcessId}; it was killed; pid {survivor.ProcessId} had sealed the 10 written since {tookOver.TotalSeconds:F1} s after the kill (lease {Lease.TotalSeconds} s); {clock.Elapsed.TotalSeconds:F0} s in all."));
    }

    // Every entry has exactly one chain position, positions run 1..N without a gap or a repeat in the order the head
    // counts, and Verify walks the whole chain (links and hashes) as intact with nothing left unsealed.
    private async Task AssertChainCompleteAsync(long entries)
    {
        await using var db = database.CreateDbContext();
        var positions = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, (int)entries).Select(i => (long?)i), positions);
        var head = await db.AuditChainHeads.AsNoTracking().SingleAsync();
        Assert.Equal(entries, head.LastSequence);
        var verification = await AuditChain.VerifyAsync(db, TimeProvider.System, default);
        Assert.True(verification.IsIntact, verification.Message);
        Assert.Equal((entries, 0L), (verification.VerifiedEntries, verification.UnsealedEntries));
    }

    private async Task<(long Entries, string SealerId)> WaitUntilAllSealedAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using (var db = database.CreateDbContext())
            {
                var entries = await db.AuditEntries.LongCountAsync();
                var unsealed = await db.AuditEntries.LongCountAsync(e => e.Sequence == null);
                var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync();
                if (unsealed == 0 && head?.SealerId is { } sealer)
                {
                    return (entries, sealer);
                }

                if (deadline.Elapsed > timeout)
                {
                    Assert.Fail($"{unsealed} of {entries} entries still unsealed after {timeout}; head sealer {head?.SealerId}.\n"
                                + string.Join("\n", nodes.Select(n => $"{n}:\n{n.Tail(20)}")));
                }
            }

            await Task.Delay(100);
        }
    }

    private async Task PostManyAsync(AppProcess node, IEnumerable<string> slugs)
    {
        var queue = new Queue<string>(slugs);
        using var client = node.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                string? slug;
                lock (queue)
                {
                    if (!queue.TryDequeue(out slug))
                    {
                        return;
                    }
                }

                var body = JsonNode.Parse(ProvisioningExample.Json)!.AsObject();
                body["enterpriseCustomer"]!["slug"] = slug;
                body["trialSubscriptionPlan"]!["salesforceOpportunityLineItem"] = $"{slug}-trial";
                body["firstPaidSubscriptionPlan"]!["salesforceOpportunityLineItem"] = $"{slug}-paid";
                using var response = await client.PostAsync(
                    new Uri("/api/v1/provisioning", UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                Assert.True(response.StatusCode == HttpStatusCode.Accepted,
                    $"POST {slug} to {node} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        })));
    }

    private async Task<T> CountAsync<T>(Func<WorkflowAdmin.Domain.Data.AppDbContext, Task<T>> query)
    {
        await using var db = database.CreateDbContext();
        return await query(db);
    }

    private Task<AppProcess> StartNodeAsync() => AppProcess.StartAsync(new AppProcessOptions
    {
        Provider = database.Provider,
        ConnectionString = database.ConnectionString,
        Role = "Web",
        Environment = "Production",
        Settings = new Dictionary<string, string?>
        {
            ["AuditSealing:Lease"] = Lease.ToString(),
            ["AuditSealing:Interval"] = Interval.ToString(),
            ["Background:PostgreSqlSchema"] = queueSchema,
            ["Api:RateLimit:PermitLimit"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        },
    });
}
