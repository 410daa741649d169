using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Api;

/// <summary>
/// The limits a client meets: the per-key rate limit and the long-poll cap. A host of their own, with a rate limit of
/// three requests a minute and no recovery sweep that would pick up the execution left pending on purpose.
/// </summary>
public sealed class ApiLimitsTests(ApiLimitsTests.LimitedHost host) : IClassFixture<ApiLimitsTests.LimitedHost>
{
    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_with_retry_after_and_other_keys_do_not()
    {
        var busy = await host.IssueKeyAsync(ApiScope.Read);
        var quiet = await host.IssueKeyAsync(ApiScope.Read);
        using var client = host.Client(busy.Secret);
        using var other = host.Client(quiet.Secret);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < LimitedHost.PermitLimit + 2; i++)
        {
            answers.Add(await client.GetAsync("/api/v1/executions"));
        }

        Assert.All(answers.Take(LimitedHost.PermitLimit), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var refused = answers[LimitedHost.PermitLimit];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/executions")).StatusCode);
    }

    [Fact]
    public async Task Wait_returns_after_at_most_30_seconds_when_the_execution_does_not_finish()
    {
        var key = await host.IssueKeyAsync(ApiScope.Read);
        using var client = host.Client(key.Secret);
        var pending = WorkflowExecution.Create(
            new ProvisioningWorkflow().Key, 1, "{}", "never-runs", new Trigger("someone", TriggerSource.Console), DateTime.UtcNow);
        await host.QueryAsync(async db =>
        {
            db.WorkflowExecutions.Add(pending);
            return await db.SaveChangesAsync();
        });

        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync($"/api/v1/executions/{pending.Id}?wait=600");
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Pending", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(29.5), TimeSpan.FromSeconds(40));
    }

    public sealed class LimitedHost : ApiHost<SqliteDatabaseFixture>
    {
        public const int PermitLimit = 3;

        public LimitedHost()
            : base(new Dictionary<string, string?>
            {
                ["Api:RateLimit:PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Api:RateLimit:Window"] = "00:01:00",
            },
            ConsoleAppFactory.WithoutExecutionWorkers)
        {
        }
    }
}
