using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Provisioning.Api;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Operations;

/// <summary>
/// The real program as a process of its own (its meters are not shared with other tests): an execution triggered
/// through the API shows in <c>/metrics</c> with the right values, its run's spans reach an OTLP collector, and the
/// request's trace context is stored on the execution for the run to link to.
/// </summary>
public sealed partial class TelemetryProcessTests(SqliteDatabaseFixture database) : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    private const string Workflow = "provision-customer";

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_execution_run_through_the_api_shows_in_metrics_and_in_exported_traces()
    {
        var options = new AppProcessOptions { Provider = database.Provider, ConnectionString = database.ConnectionString };
        var (exitCode, output) = await AppProcess.RunCommandAsync(
            options with { Arguments = ["api-keys", "create", "--name", "metrics-test", "--scopes", "trigger,read"] }, TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, output);
        var secret = ApiSecret().Match(output).Value;

        using var collector = new OtlpCollector();
        await using var node = await AppProcess.StartAsync(options with
        {
            Settings = new Dictionary<string, string?>
            {
                ["Background:WorkerCount"] = "2",
                ["Telemetry:Otlp:Endpoint"] = collector.Address,
                ["Telemetry:Otlp:Protocol"] = "HttpProtobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            },
        });
        // No propagation by this process's HttpClient: a test host traced elsewhere in the run would replace the
        // traceparent below with its own.
        using var handler = new SocketsHttpHandler { ActivityHeadersPropagator = null, AllowAutoRedirect = false };
        using var client = node.CreateClient(handler);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        // The caller's own trace: the execution remembers it.
        var callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/provisioning", UriKind.Relative))
        {
            Content = new StringContent(ProvisioningExample.Json, Encoding.UTF8, "application/json"),
        };
        post.Headers.Add("traceparent", $"00-{callerTrace}-00f067aa0ba902b7-01");
        using var accepted = await client.SendAsync(post);
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        var location = accepted.Headers.Location!;
        var id = Guid.Parse(location.OriginalString.Split('/')[^1]);

        using var finished = await client.GetAsync(new Uri($"{location.OriginalString}?wait=30", UriKind.Relative));
        var execution = await finished.Content.ReadAsStringAsync();
        Assert.Contains("\"status\":\"Succeeded\"", execution, StringComparison.Ordinal);
        await using (var db = database.CreateDbContext())
        {
            var stored = await db.WorkflowExecutions.Where(e => e.Id == id).Select(e => e.TraceParent).SingleAsync();
            Assert.StartsWith($"00-{callerTrace}-", stored, StringComparison.Ordinal);
        }

        // The run counts itself finished and frees its worker just after the commit the API saw: give it a moment.
        string metrics;
        var settled = DateTime.UtcNow.AddSeconds(10);
        do
        {
            metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        while (!(PrometheusText.Lines(metrics, "workflowadmin_executions_finished_total").Any() && PrometheusText.Lines(metrics, "workflowadmin_workers_busy").SingleOrDefault().Value == 0)
               && DateTime.UtcNow < settled && await Pause());

        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_executions_created_total", ("workflow", Workflow), ("source", "Api")));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_executions_started_total", ("workflow", Workflow)));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_executions_finished_total", ("workflow", Workflow), ("status", "Succeeded")));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_step_attempts_total", ("workflow", Workflow), ("step", "create-customer"), ("outcome", "Succeeded")));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_step_duration_seconds_count", ("workflow", Workflow), ("step", "create-customer"), ("outcome", "Succeeded")));
        Assert.True(PrometheusText.Value(metrics, "workflowadmin_step_duration_seconds_sum", ("workflow", Workflow), ("step", "create-customer"), ("outcome", "Succeeded")) > 0);
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_audit_writes_total", ("action", "execution.trigger")));
        Assert.DoesNotContain("outcome=\"Failed\"", metrics, StringComparison.Ordinal);
        Assert.Equal(0, PrometheusText.Value(metrics, "workflowadmin_queue_depth"));
        Assert.Equal(0, PrometheusText.Value(metrics, "workflowadmin_queue_oldest_age_seconds"));
        Assert.Equal(2, PrometheusText.Value(metrics, "workflowadmin_workers_total"));
        Assert.Equal(0, PrometheusText.Value(metrics, "workflowadmin_workers_busy"));

        // Every attempt counted once, and the same number of durations recorded.
        var attempts = PrometheusText.Lines(metrics, "workflowadmin_step_attempts_total", ("workflow", Workflow)).ToList();
        Assert.True(attempts.Count >= 5, metrics);
        Assert.All(attempts, a => Assert.Equal(1, a.Value));
        Assert.Equal(attempts.Count, PrometheusText.Lines(metrics, "workflowadmin_step_duration_seconds_count", ("workflow", Workflow)).Count());

        // The run's span and its step spans (which end first, so may travel in an earlier batch) reach the collector,
        // named and tagged with the execution.
        foreach (var span in new[] { $"run {Workflow}", "step create-customer" })
        {
            await collector.WaitForAsync("/v1/traces", body => body.Contains(id.ToString(), StringComparison.Ordinal)
                && body.Contains(span, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        }
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(200);
        return true;
    }

    [GeneratedRegex(@"wfa_\S+")]
    private static partial Regex ApiSecret();

    /// <summary>
    /// A stand-in OpenTelemetry collector: accepts OTLP over HTTP (protobuf) and keeps each body. Span names and
    /// string attributes travel as plain UTF-8 inside the protobuf, so a test can look for them without a decoder.
    /// </summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly ConcurrentQueue<(string Path, string Body)> received = new();

        public OtlpCollector()
        {
            var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            var port = ((IPEndPoint)socket.LocalEndpoint).Port;
            socket.Stop();
            Address = $"http://127.0.0.1:{port}";
            listener.Prefixes.Add(Address + "/");
            listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public string Address { get; }

        public async Task<string> WaitForAsync(string path, Func<string, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var found = received.Where(r => r.Path == path).Select(r => r.Body).FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"No matching {path} export within {timeout}; received: {string.Join(", ", received.Select(r => r.Path))}");
        }

        public void Dispose() => listener.Close();

        private async Task AcceptAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Enqueue((context.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(body.ToArray())));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }
    }
}
