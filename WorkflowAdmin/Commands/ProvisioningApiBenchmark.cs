using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using WorkflowAdmin.Features.Provisioning.Api;

namespace WorkflowAdmin.Commands;

/// <summary>
/// Load for <c>POST /api/v1/provisioning</c> through real HTTP against a running node: <c>requests</c> valid,
/// distinct provisioning requests (each its own customer) sent by <c>concurrency</c> clients, each client sending its
/// next request as soon as its last is answered. Reports requests per second, latency percentiles and the count of
/// each status code. Run by <c>bench api</c>; the figures go in docs/benchmarks.md.
/// </summary>
public sealed class ProvisioningApiBenchmark
{
    /// <summary>A bounded run: one request never waits longer than this.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(
        Uri baseAddress, string apiKey, int requests, int concurrency, bool idempotent, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requests);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(concurrency);
        if (!baseAddress.IsLoopback)
        {
            // A load generator aimed elsewhere by a typo is a denial of service, not a benchmark.
            throw new FormatException($"bench api only sends load to this machine (a loopback address), not to {baseAddress.Host}.");
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = RequestTimeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        // Each run gets its own customers, so runs against one database never collide on a slug or an idempotency key.
        var run = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()));
        var template = JsonNode.Parse(ProvisioningExample.Json)!;

        // Warm-up: connections, JIT, the node's caches and pools. Its answers are not counted.
        var warmUp = Math.Min(requests, concurrency * 4);
        await SendAllAsync(client, template, $"{run}w", warmUp, concurrency, idempotent, cancellationToken);

        var clock = Stopwatch.StartNew();
        var results = await SendAllAsync(client, template, run, requests, concurrency, idempotent, cancellationToken);
        var elapsed = clock.Elapsed;

        var latencies = results.Select(r => r.Milliseconds).Order().ToArray();
        var statuses = results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count():N0}");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"POST /api/v1/provisioning at {baseAddress}: {requests:N0} requests by {concurrency} clients{(idempotent ? ", each with an Idempotency-Key" : "")}, after {warmUp} warm-up requests."));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{requests / elapsed.TotalSeconds:N1} requests/s over {elapsed.TotalSeconds:N1} s; latency p50 {Percentile(latencies, 0.50):N1} ms, p95 {Percentile(latencies, 0.95):N1} ms, p99 {Percentile(latencies, 0.99):N1} ms, max {latencies[^1]:N1} ms."));
        await output.WriteLineAsync("Status codes: " + string.Join(", ", statuses));
        foreach (var failure in results.Where(r => r.Error is not null).Select(r => r.Error).Distinct().Take(5))
        {
            await output.WriteLineAsync("  " + failure);
        }

        // Non-zero when anything but 202 came back, so a script can tell a clean run from one that only looked fast.
        return results.All(r => r.Status == "202") ? 0 : 1;
    }

    private static async Task<List<Result>> SendAllAsync(
        HttpClient client, JsonNode template, string run, int requests, int concurrency, bool idempotent, CancellationToken cancellationToken)
    {
        var next = -1;
        var results = new List<Result>[concurrency];
        var clients = Enumerable.Range(0, concurrency).Select(c => Task.Run(async () =>
        {
            var mine = results[c] = [];
            for (var i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                mine.Add(await SendAsync(client, Body(template, run, i), idempotent ? $"bench-{run}-{i}" : null, cancellationToken));
            }
        }, cancellationToken));
        await Task.WhenAll(clients);
        return results.SelectMany(r => r).ToList();
    }

    private static async Task<Result> SendAsync(HttpClient client, string body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/provisioning")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(ProvisioningEndpoints.IdempotencyHeader, idempotencyKey);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            var error = (int)response.StatusCode >= 400 ? $"{status}: {Shorten(await response.Content.ReadAsStringAsync(cancellationToken))}" : null;
            return new Result(status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, error);
        }
        catch (HttpRequestException ex)
        {
            return new Result("connection error", Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Result("timeout", Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"no answer within {RequestTimeout.TotalSeconds:N0} s");
        }
    }

    // A distinct customer per request: its own name, slug and admin emails, the rest as the documented example.
    private static string Body(JsonNode template, string run, int index)
    {
        var body = template.DeepClone();
        var customer = body["enterpriseCustomer"]!;
        customer["name"] = $"Bench {run} {index}";
        customer["slug"] = $"bench-{run}-{index}";
        body["pendingAdmins"] = new JsonArray(new JsonObject { ["userEmail"] = $"it-{index}@bench-{run}.example" });
        return body.ToJsonString();
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record Result(string Status, double Milliseconds, string? Error);
}
