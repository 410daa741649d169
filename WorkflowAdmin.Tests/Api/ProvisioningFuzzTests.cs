using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Provisioning.Api;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Api;

/// <summary>
/// A few hundred malformed or hostile provisioning requests, generated from a fixed seed so a failure replays
/// exactly: every one must be refused with a 4xx and leave no execution, idempotency record or audit entry behind.
/// Each body carries at least one mistake that makes it invalid; hostile text also goes into fields where it is legal,
/// next to such a mistake, so that a 5xx anywhere in the path would show.
/// </summary>
public abstract class ProvisioningFuzzTests<TDatabase>(ApiHost<TDatabase> host)
    where TDatabase : DatabaseFixture, new()
{
    private const int Seed = 20261125;
    private const int Count = 300;

    private static readonly string[] Hostile =
    [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE \"WorkflowExecutions\"; --", "1 OR 1=1",
        "Robert'); DELETE FROM ApiKeys;--", "../../etc/passwd", "${jndi:ldap://x}", "{{7*7}}", "\u0000\u0001\u0002", "​‌‍﻿",
        "مرحبا بالعالم", "Zalgo ̵̡̛̗̖̈́̄͐ text", "👩‍👩‍👧‍👦🏳️‍🌈", "\u202Egnp.exe", "ＡＣＭＥ", "NULL", "NaN", "-1", "9999999999999999999999.5",
        "\r\n\r\nHTTP/1.1 200 OK", "%00%0a", string.Concat(Enumerable.Repeat("😀", 300)),
    ];

    private static readonly string[] StringFields =
    [
        "enterpriseCustomer.name", "enterpriseCustomer.slug", "enterpriseCustomer.country", "trialSubscriptionPlan.title",
        "trialSubscriptionPlan.salesforceOpportunityLineItem", "firstPaidSubscriptionPlan.title", "subsidy.title", "subsidy.currency",
    ];

    private static readonly string[] NumberFields =
    [
        "trialSubscriptionPlan.desiredNumLicenses", "trialSubscriptionPlan.productId", "firstPaidSubscriptionPlan.productId",
        "enterpriseCatalog.catalogQueryId", "subsidy.startingBalanceCents",
    ];

    private static readonly string[] DateFields =
    [
        "trialSubscriptionPlan.startDate", "trialSubscriptionPlan.expirationDate", "subsidy.startDate", "subsidy.expirationDate",
        "firstPaidSubscriptionPlan.startDate",
    ];

    // Fields whose rules no hostile text above can satisfy.
    private static readonly string[] StrictFields = ["enterpriseCustomer.slug", "enterpriseCustomer.country", "subsidy.currency"];

    private static readonly string[] RequiredSections = ["enterpriseCustomer", "pendingAdmins", "trialSubscriptionPlan", "firstPaidSubscriptionPlan"];

    private static readonly string[] Sections =
        ["enterpriseCustomer", "pendingAdmins", "enterpriseCatalog", "customerAgreement", "trialSubscriptionPlan", "firstPaidSubscriptionPlan", "subsidy"];

    [Fact]
    public async Task Hundreds_of_malformed_and_hostile_bodies_get_only_4xx_and_write_nothing()
    {
        var key = await host.IssueKeyAsync(ApiScope.Trigger, ApiScope.Read);
        using var client = host.Client(key.Secret);
        var random = new Random(Seed);
        var failures = new List<string>();

        for (var i = 0; i < Count; i++)
        {
            var (body, mediaType, description) = Generate(random, i);
            var content = new ByteArrayContent(body);
            if (mediaType is not null)
            {
                content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(mediaType);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/provisioning") { Content = content };
            if (i % 3 == 0)
            {
                request.Headers.Add(ProvisioningEndpoints.IdempotencyHeader, $"fuzz-{i}");
            }

            var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            if (status is < 400 or >= 500)
            {
                failures.Add($"#{i} {description}: {status} {await response.Content.ReadAsStringAsync()}");
            }
            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"#{i} {description}: {status} without problem details ({response.Content.Headers.ContentType})");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(0, await host.ExecutionsTriggeredByAsync(key.Name));
        Assert.Equal(0, await host.QueryAsync(db => db.IdempotencyRecords.CountAsync(r => r.ApiKeyId == key.Id)));
        Assert.Equal(0, await host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Actor == key.Name)));
    }

    [Fact]
    public async Task Hostile_query_strings_paths_headers_and_methods_on_every_endpoint_get_no_5xx_and_write_nothing()
    {
        var key = await host.IssueKeyAsync(ApiScope.Trigger, ApiScope.Read);
        using var client = host.Client(key.Secret);
        var executionsBefore = await host.QueryAsync(db => db.WorkflowExecutions.CountAsync());
        var auditBefore = await host.QueryAsync(db => db.AuditEntries.CountAsync());
        var random = new Random(Seed + 1);
        var failures = new List<string>();
        var existing = Guid.NewGuid();

        async Task SendAsync(HttpClient sender, HttpMethod method, string url, Action<HttpRequestMessage>? configure = null)
        {
            using var request = new HttpRequestMessage(method, url);
            if (method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch)
            {
                // Never a valid body: whatever the query or headers do, nothing may be created.
                request.Content = ApiHost<TDatabase>.Json("""{"enterpriseCustomer":{"name":"x"}}""");
            }

            configure?.Invoke(request);
            var response = await sender.SendAsync(request);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{method} {url[..Math.Min(url.Length, 200)]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        string[] paths = ["/api/v1/executions", $"/api/v1/executions/{existing}", "/api/v1/provisioning", "/openapi/v1.json", "/api/v1/executions/not-a-guid"];
        HttpMethod[] methods = [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Head, HttpMethod.Options];
        string[] names = ["status", "workflow", "businessKey", "createdAfter", "createdBefore", "limit", "cursor", "wait", "page", "size", "sort", "q"];
        for (var i = 0; i < Count; i++)
        {
            var query = string.Join("&", Enumerable.Range(0, random.Next(1, 5)).Select(_ =>
                $"{Uri.EscapeDataString(random.Next(5) == 0 ? Pick(random, Hostile) : Pick(random, names))}={Uri.EscapeDataString(HostileValue(random))}"));
            var path = Pick(random, paths);
            await SendAsync(client, Pick(random, methods), $"{path}?{query}");
        }

        // Every parameter of every GET with every hostile text, not left to chance.
        foreach (var name in names)
        {
            foreach (var text in Hostile)
            {
                await SendAsync(client, HttpMethod.Get, $"/api/v1/executions?{name}={Uri.EscapeDataString(text)}");
                await SendAsync(client, HttpMethod.Get, $"/api/v1/executions/{existing}?{name}={Uri.EscapeDataString(text)}");
            }
        }

        // Hostile text in the path itself, and in an Idempotency-Key (printable, so the client lets it through).
        foreach (var text in Hostile)
        {
            await SendAsync(client, HttpMethod.Get, "/api/v1/executions/" + Uri.EscapeDataString(text));
            await SendAsync(client, HttpMethod.Get, "/api/v1/" + Uri.EscapeDataString(text) + "?wait=1");
            await SendAsync(client, HttpMethod.Post, "/api/v1/provisioning", r => r.Headers.TryAddWithoutValidation(
                ProvisioningEndpoints.IdempotencyHeader, new string(text.Where(c => c is >= ' ' and <= '~').ToArray()) + "x"));
        }

        // Hostile keys, from an address of their own: they spend that address's budget for requests without a valid key.
        using var stranger = ClientAddress.Client(host.App.BaseAddress, ClientAddress.Next());
        foreach (var text in Hostile.Append("wfa_" + new string('a', 5000)).Append("wfa_' OR '1'='1"))
        {
            await SendAsync(stranger, HttpMethod.Get, "/api/v1/executions", r => r.Headers.TryAddWithoutValidation("X-Api-Key", Ascii(text)));
            await SendAsync(stranger, HttpMethod.Post, "/api/v1/provisioning", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Ascii(text)));
        }

        // What HttpClient refuses to send: CR/LF and NUL in headers, a header past Kestrel's limits, broken request lines.
        string[] raw =
        [
            $"GET /api/v1/executions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key.Secret}\r\nIdempotency-Key: a\rSet-Cookie: x=1\r\n\r\n",
            $"POST /api/v1/provisioning HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key.Secret}\r\nIdempotency-Key: a\u0000b\r\nContent-Length: 2\r\n\r\n{{}}",
            $"GET /api/v1/executions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key.Secret}\r\nX-Long: {new string('a', 70_000)}\r\n\r\n",
            $"GET /api/v1/executions?{new string('a', 20_000)}=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key.Secret}\r\n\r\n",
            "GET /api/v1/executions/%00%0d%0aSet-Cookie:x HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /api/v1/executions\r\n\r\n",
            "GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
            $"POST /api/v1/provisioning HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key.Secret}\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n{{}}",
            $"POST /api/v1/provisioning HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key.Secret}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n",
        ];
        foreach (var request in raw)
        {
            var status = await RawStatusAsync(host.App.BaseAddress, request);
            if (status is null or >= 500)
            {
                failures.Add($"raw {request[..Math.Min(request.Length, 80)].ReplaceLineEndings(" ")}: {status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no status line"}");
            }
        }

        // Valid in every other way: a NUL, which PostgreSQL cannot store, is refused at its path instead of failing a step later.
        var nul = JsonNode.Parse(ProvisioningExample.Json)!.AsObject();
        nul["enterpriseCustomer"]!["slug"] = "nul-" + Guid.NewGuid().ToString("N")[..8];
        nul["enterpriseCustomer"]!["name"] = "Nul\u0000Corp";
        var refused = await client.PostAsync("/api/v1/provisioning", ApiHost<TDatabase>.Json(nul.ToJsonString()));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]!["enterpriseCustomer.name"]);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(executionsBefore, await host.QueryAsync(db => db.WorkflowExecutions.CountAsync()));
        Assert.Equal(auditBefore, await host.QueryAsync(db => db.AuditEntries.CountAsync()));
        Assert.Equal(0, await host.QueryAsync(db => db.IdempotencyRecords.CountAsync(r => r.ApiKeyId == key.Id)));
    }

    private static string HostileValue(Random random) => random.Next(8) switch
    {
        0 => "99999999999999999999999999999",
        1 => "-" + random.Next(),
        2 => new string('[', 500),
        3 => new string('9', 5000),
        4 => "2026-02-30T25:61:61Z",
        5 => Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
        _ => Pick(random, Hostile),
    };

    private static string Ascii(string text) => new(text.Where(c => c is >= ' ' and <= '~').ToArray());

    // The status code of a hand-written HTTP/1.1 request, or null when the server closed without answering.
    private static async Task<int?> RawStatusAsync(Uri baseAddress, string request)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        }
        catch (IOException)
        {
            // Kestrel may answer and close before reading everything; the answer is still there to read.
        }

        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var line = Encoding.ASCII.GetString(buffer, 0, read);
        return line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(9, 3), out var status) ? status : null;
    }

    private static (byte[] Body, string? MediaType, string Description) Generate(Random random, int index)
    {
        var body = JsonNode.Parse(ProvisioningExample.Json)!.AsObject();
        body["enterpriseCustomer"]!["slug"] = $"fuzz-{index}";

        // Hostile but legal text in free-text fields, beside the mistake below.
        if (random.Next(2) == 0)
        {
            body["enterpriseCustomer"]!["name"] = Pick(random, Hostile);
            body["trialSubscriptionPlan"]!["title"] = Pick(random, Hostile);
        }

        var kind = random.Next(12);
        string description;
        switch (kind)
        {
            case 0:
                description = WrongType(random, body);
                break;
            case 1:
                {
                    var field = Pick(random, StrictFields);
                    Set(body, field, Pick(random, Hostile));
                    description = $"hostile {field}";
                    break;
                }

            case 2:
                body["pendingAdmins"]![0]!["userEmail"] = Pick(random, Hostile);
                description = "hostile email";
                break;
            case 3:
                {
                    var section = Pick(random, Sections);
                    var target = section == "pendingAdmins" ? body : (body[section] ??= new JsonObject()).AsObject();
                    target[Pick(random, Hostile) + random.Next()] = Pick(random, Hostile);
                    description = $"unknown field in {section}";
                    break;
                }

            case 4:
                {
                    var section = Pick(random, RequiredSections);
                    body.Remove(section);
                    description = $"missing {section}";
                    break;
                }

            case 5:
                {
                    var field = Pick(random, NumberFields);
                    JsonNode value = random.Next(5) switch
                    {
                        0 => JsonValue.Create(-random.Next(1, 1000)),
                        1 => JsonValue.Create(1.5),
                        2 => JsonNode.Parse("1e309")!,
                        3 => JsonNode.Parse("1e20")!,
                        _ => JsonValue.Create(0),
                    };
                    Set(body, field, value);
                    description = $"bad number {field}={value.ToJsonString()}";
                    break;
                }

            case 6:
                {
                    var field = Pick(random, DateFields);
                    Set(body, field, Pick(random, new JsonNode[] { "2026-02-30", "tomorrow", "2026-13-01", "01/04/2026", Pick(random, Hostile), true }));
                    description = $"bad date {field}";
                    break;
                }

            case 7:
                {
                    // Built as text: the nesting is deeper than System.Text.Json itself would build.
                    var depth = random.Next(20, 200);
                    var field = Pick(random, StringFields);
                    Set(body, field, "__deep__");
                    var text = body.ToJsonString().Replace("\"__deep__\"", new string('[', depth) + new string(']', depth), StringComparison.Ordinal);
                    return (Encoding.UTF8.GetBytes(text), "application/json", $"nested {depth} deep in {field}");
                }

            case 8:
                {
                    var section = Pick(random, Sections);
                    body[section] = random.Next(3) switch { 0 => "text", 1 => 42, _ => section == "pendingAdmins" ? new JsonObject() : new JsonArray(1, 2) };
                    description = $"{section} of the wrong shape";
                    break;
                }

            case 9:
                return Corrupt(random, Encoding.UTF8.GetBytes(body.ToJsonString()));
            case 10:
                {
                    var roots = new[] { "[]", "\"provision\"", "42", "null", "true", "", "   ", "{}", "[{\"enterpriseCustomer\":{}}]" };
                    var root = Pick(random, roots);
                    return (Encoding.UTF8.GetBytes(root), "application/json", $"root '{root}'");
                }

            default:
                {
                    var types = new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", null };
                    var type = Pick(random, types);
                    return (Encoding.UTF8.GetBytes(body.ToJsonString()), type, $"content type '{type}'");
                }
        }

        return (Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json", description);
    }

    private static string WrongType(Random random, JsonObject body)
    {
        var field = Pick(random, StringFields.Concat(NumberFields).Concat(DateFields).ToArray());
        JsonNode value = StringFields.Contains(field)
            ? Pick(random, new JsonNode[] { 12, true, new JsonArray("a"), new JsonObject { ["x"] = 1 } })
            : Pick(random, new JsonNode[] { "twelve", false, new JsonArray(1), new JsonObject() });
        Set(body, field, value);
        return $"wrong type at {field}";
    }

    // Breaks the text itself: cut short, a control or invalid UTF-8 byte, a lone surrogate, a duplicated name.
    private static (byte[] Body, string? MediaType, string Description) Corrupt(Random random, byte[] json)
    {
        var text = Encoding.UTF8.GetString(json);
        switch (random.Next(5))
        {
            case 0:
                var cut = random.Next(1, json.Length - 1);
                return (json[..cut], "application/json", $"cut at {cut}");
            case 1:
                var at = random.Next(1, json.Length - 1);
                var bad = Pick(random, new byte[] { 0x01, 0xFF, 0xC0, 0x80, 0x00 });
                return ([.. json[..at], bad, .. json[at..]], "application/json", $"byte 0x{bad:X2} at {at}");
            case 2:
                return (Encoding.UTF8.GetBytes(text
                    .Replace("\"Northwind catalog\"", "\"\\udc00\\ud800\"", StringComparison.Ordinal).Replace("\"US\"", "\"\\uD83D\"", StringComparison.Ordinal)),
                    "application/json", "lone surrogates");
            case 3:
                return (Encoding.UTF8.GetBytes(text.Replace("{\"name\":", "{\"name\":\"dup\",\"name\":", StringComparison.Ordinal)), "application/json", "duplicate name");
            default:
                return (Encoding.UTF8.GetBytes(text + ",{}"), "application/json", "trailing data");
        }
    }

    private static void Set(JsonObject body, string path, JsonNode value)
    {
        var (section, field) = (path.Split('.')[0], path.Split('.')[1]);
        body[section]!.AsObject()[field] = value;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}

public sealed class SqliteProvisioningFuzzTests(SqliteApiHost host)
    : ProvisioningFuzzTests<SqliteDatabaseFixture>(host), IClassFixture<SqliteApiHost>;

public sealed class PostgresProvisioningFuzzTests(PostgresApiHost host)
    : ProvisioningFuzzTests<PostgresDatabaseFixture>(host), IClassFixture<PostgresApiHost>;
