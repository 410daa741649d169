using System.Net;
using System.Text;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Audit;

/// <summary>
/// <c>GET /audit/export.csv</c> on the real app over HTTP: every row the list's filters select (far more than a page),
/// in the list's order, as RFC 4180 CSV that a spreadsheet opens without evaluating anything; for auditors and
/// admins only. Run once per provider.
/// </summary>
public abstract class AuditExportTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const int Entries = 240;

    private static readonly string[] Tricky =
    [
        "=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2", "@SUM(A1)", "\tindented", "\rcarriage", "comma, inside",
        "two\nlines with \"quotes\"",
    ];

    private ConsoleAppFactory app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        app = new ConsoleAppFactory(database);
        client = ConsoleHttp.CreateClient(app);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Admin)]
    public async Task Without_filters_the_file_holds_every_entry_newest_first_far_beyond_one_page(string role)
    {
        await AuditTestData.WriteAsync(database, Mixed());
        await SignInAsync(role);
        var all = await AuditLog.ReadAsync(database);

        var response = await client.GetAsync("/audit/export.csv", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Matches(@"^audit-\d{8}-\d{6}\.csv$", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);

        // Streamed as it is read, not buffered into one body of known length.
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Null(response.Content.Headers.ContentLength);
        var rows = await ReadCsvAsync(response);
        Assert.Equal(
            ["Sequence", "Time (UTC)", "Actor", "Actor kind", "Actor roles", "Action", "Action label", "Target type", "Target id", "Target name",
             "Reason", "Client IP", "Correlation id", "Before", "After", "Previous hash", "Hash", "Entry id"],
            rows[0]);
        Assert.True(all.Count > Entries);
        Assert.Equal(
            all.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.Sequence!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            rows.Skip(1).Select(r => r[0]));
    }

    [Fact]
    public async Task With_the_lists_query_string_the_file_holds_exactly_the_rows_the_list_selects_in_its_order()
    {
        await AuditTestData.WriteAsync(database, Mixed());
        await SignInAsync(Roles.Auditor);
        var all = await AuditLog.ReadAsync(database);
        var expected = all
            .Where(e => e.Action == AuditActions.ExecutionCancelled && e.Actor == AuditTestData.Grace.Name && e.Reason!.Contains("ticket", StringComparison.Ordinal))
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .ToList();

        var rows = await ReadCsvAsync(await client.GetAsync("/audit/export.csv?action=execution.cancel&actor=grace%40workflowadmin.local&q=ticket&sort=time&page=2&size=25"));

        Assert.True(expected.Count > 50, "The filter should select more rows than a page.");
        var entries = rows.Skip(1).ToList();
        Assert.Equal(expected.Select(e => e.Sequence!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), entries.Select(r => r[0]));
        var first = expected[0];
        Assert.Equal<string?>(
            [first.Sequence!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), first.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
             first.Actor, "User", "Admin", AuditActions.ExecutionCancelled, "Cancelled execution", AuditTargets.Execution, first.TargetId, "",
             first.Reason, "10.0.0.8", "trace-grace", first.BeforeJson, first.AfterJson, first.PreviousHash, first.Hash,
             first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            entries[0]);
    }

    [Fact]
    public async Task Cells_that_look_like_formulas_are_defused_and_every_field_survives_quoting()
    {
        var actor = Actor.ForUser("@attacker.example", [Roles.Admin]) with { ClientIp = "-1" };
        await AuditTestData.WriteAsync(database, Tricky.Select((reason, i) =>
            AuditRecord.For(actor, AuditActions.ExecutionCancelled, AuditTestData.Start.AddMinutes(i), AuditTargets.Execution, Guid.NewGuid().ToString(), reason,
                before: new { note = reason }, after: new { status = "Cancelled, \"really\"" })));
        await SignInAsync(Roles.Auditor);

        var response = await client.GetAsync("/audit/export.csv?actor=%40attacker.example&sort=time");
        var text = await response.Content.ReadAsStringAsync();

        var rows = CsvParser.Parse(text).Skip(1).ToList();
        Assert.Equal(Tricky.Length, rows.Count);
        for (var i = 0; i < Tricky.Length; i++)
        {
            var expectedReason = "=+-@\t\r".Contains(Tricky[i][0], StringComparison.Ordinal) ? "'" + Tricky[i] : Tricky[i];
            Assert.Equal(expectedReason, rows[i][10]);
            Assert.Equal("'@attacker.example", rows[i][2]);
            Assert.Equal("'-1", rows[i][11]);
            AuditLog.JsonEqual("""{"status":"Cancelled, \"really\""}""", rows[i][14]);
        }

        Assert.Contains("\"two\nlines with \"\"quotes\"\"\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Support_is_refused_with_403_and_no_rows()
    {
        await AuditTestData.WriteAsync(database, Mixed().Take(3));
        await SignInAsync(Roles.Support);

        var response = await client.GetAsync("/audit/export.csv");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Sequence,", body, StringComparison.Ordinal);
        Assert.DoesNotContain("trace-ada", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_request_is_sent_to_sign_in()
    {
        await AuditTestData.WriteAsync(database, Mixed().Take(3));

        var response = await client.GetAsync("/audit/export.csv?action=execution.cancel");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("trace-ada", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // Grace cancels with a ticket number, Ada re-runs, Grace signs in: 80 of each, a minute apart.
    private static IEnumerable<AuditRecord> Mixed() =>
        Enumerable.Range(0, Entries).Select(i =>
        {
            var at = AuditTestData.Start.AddMinutes(i);
            return (i % 3) switch
            {
                0 => AuditRecord.For(AuditTestData.Grace, AuditActions.ExecutionCancelled, at, AuditTargets.Execution, Guid.NewGuid().ToString(),
                    $"ticket {i}, customer asked", before: new { status = "Pending" }, after: new { status = "Cancelled", outcome = "Cancelled" }),
                1 => AuditRecord.For(AuditTestData.Ada, AuditActions.ExecutionRerun, at, AuditTargets.Execution, Guid.NewGuid().ToString(), $"ticket {i}"),
                _ => AuditRecord.For(AuditTestData.Grace, AuditActions.SignIn, at, AuditTargets.User, "user-grace"),
            };
        });

    private async Task SignInAsync(string role)
    {
        var user = DemoUsers.All.Single(u => u.Role == role);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(user.Email, user.Password)).StatusCode);

        // The sign-in's own entry too: the files compared below hold sealed entries only.
        await AuditLog.SealAsync(database);
    }

    private static async Task<List<List<string>>> ReadCsvAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        return CsvParser.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }
}

public sealed class SqliteAuditExportTests(SqliteDatabaseFixture database)
    : AuditExportTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresAuditExportTests(PostgresDatabaseFixture database)
    : AuditExportTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
