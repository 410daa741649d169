using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>
/// <c>GET /executions/export</c> (and any list's <c>{list}/export</c>) on the real app over HTTP: the whole filtered
/// set, past one read batch, with the columns on screen, as formula-safe CSV or JSON Lines; for the roles that see
/// the list, audited once per download. Run once per provider.
/// </summary>
public abstract class ListExportTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly string[] Header = ["Id", "Workflow", "Business key", "Status", "Error", "Step", "Triggered by", "Source", "Created", "Duration"];

    private ConsoleAppFactory app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();

        // The seeded rows must hold still while a test compares an export with them: a worker would run the
        // seeded Pending executions (the table is the queue, decision 0019).
        app = new ConsoleAppFactory(database, services: ConsoleAppFactory.WithoutExecutionWorkers);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task The_csv_holds_every_execution_newest_first_across_several_read_batches_with_the_columns_on_screen()
    {
        var total = ListExportEndpoint.BatchSize + 150;
        await AdminTestData.SeedExecutionsAsync(app.Services, total);
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Support);

        using var response = await client.GetAsync(new Uri("/executions/export?format=csv", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Matches(@"^executions-\d{8}-\d{6}\.csv$", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Null(response.Content.Headers.ContentLength);
        var rows = await ReadCsvAsync(response);
        Assert.Equal(Header, rows[0]);

        await using var db = database.CreateDbContext();
        var expected = await db.WorkflowExecutions.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).ToListAsync();
        Assert.Equal(total, expected.Count);
        Assert.Equal(expected.Select(e => e.Id.ToString()), rows.Skip(1).Select(r => r[0]));

        var failed = expected.First(e => e.Status == ExecutionStatus.Failed && e.StartedAt is not null && e.FinishedAt is not null);
        var row = rows.Single(r => r[0] == failed.Id.ToString());
        Assert.Equal(
            [failed.Id.ToString(), failed.DefinitionKey, failed.BusinessKey ?? "", "Failed", failed.ErrorMessage!, failed.CurrentStepKey ?? "",
             failed.TriggeredBy, failed.TriggerSource.ToString(), failed.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
             (failed.FinishedAt - failed.StartedAt)!.Value.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture)],
            row);
    }

    [Fact]
    public async Task Filters_search_and_sort_of_the_url_are_honoured_and_the_page_is_not()
    {
        await AdminTestData.SeedExecutionsAsync(app.Services, 400);
        await using var db = database.CreateDbContext();
        var ids = await db.WorkflowExecutions
            .Where(e => e.Status == ExecutionStatus.Failed || e.Status == ExecutionStatus.Cancelled)
            .Where(e => e.RerunOfId == null)
            .OrderBy(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Select(e => e.Id)
            .ToListAsync();
        var expected = ids.Select(i => i.ToString()).ToList();
        Assert.True(expected.Count > 50, "The filter should select more rows than a page.");
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Support);

        var rows = await ReadCsvAsync(await client.GetAsync(
            new Uri("/executions/export?status=Failed%2CCancelled&rerun=no&sort=created&page=3&size=50&format=csv", UriKind.Relative)));

        Assert.Equal(expected, rows.Skip(1).Select(r => r[0]));

        // A search narrows the same way: an id's first characters.
        var id = expected[10];
        var searched = await ReadCsvAsync(await client.GetAsync(new Uri($"/executions/export?q={id[..8]}", UriKind.Relative)));
        Assert.Contains(searched.Skip(1), r => r[0] == id);
        Assert.All(searched.Skip(1), r => Assert.StartsWith(id[..8], r[0], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_lines_hold_one_typed_object_per_row_named_after_the_columns()
    {
        await AdminTestData.SeedExecutionsAsync(app.Services, 60);
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Auditor);

        using var response = await client.GetAsync(new Uri("/executions/export?status=Succeeded&format=jsonl", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jsonl", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text[..^1].Split('\n').Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        await using var db = database.CreateDbContext();
        var expected = await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Succeeded)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).ToListAsync();
        Assert.Equal(expected.Select(e => e.Id.ToString()), lines.Select(l => (string)l["id"]!));
        Assert.Equal(
            ["id", "workflow", "businessKey", "status", "error", "step", "triggeredBy", "source", "created", "duration"],
            lines[0].Select(p => p.Key));
        Assert.Equal("Succeeded", (string)lines[0]["status"]!);
        Assert.Equal(expected[0].CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), (string)lines[0]["created"]!);
        Assert.Null(lines[0]["error"]);
    }

    [Fact]
    public async Task Cells_that_look_like_formulas_are_defused_and_quoting_keeps_every_field_whole()
    {
        await AdminTestData.SeedExecutionsAsync(app.Services, 8);
        string[] hostile = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2", "@SUM(A1)", "\ttab", "\rcr", "comma, inside", "two\nlines \"quoted\""];
        await using (var db = database.CreateDbContext())
        {
            var ids = await db.WorkflowExecutions.OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
            for (var i = 0; i < hostile.Length; i++)
            {
                var value = hostile[i];
                await db.WorkflowExecutions.Where(e => e.Id == ids[i]).ExecuteUpdateAsync(s => s.SetProperty(e => e.TriggeredBy, value));
            }
        }

        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Support);
        using var response = await client.GetAsync(new Uri("/executions/export?format=csv", UriKind.Relative));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);

        var triggeredBy = CsvParser.Parse(text).Skip(1).Select(r => r[6]).ToHashSet();
        foreach (var value in hostile)
        {
            Assert.Contains("=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value, triggeredBy);
        }

        Assert.DoesNotContain(",=", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",+", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",@", text, StringComparison.Ordinal);
        Assert.Contains("\"two\nlines \"\"quoted\"\"\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_download_is_audited_once_with_who_which_list_format_and_filter()
    {
        await AdminTestData.SeedExecutionsAsync(app.Services, 30);
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Support);

        using var response = await client.GetAsync(new Uri("/executions/export?status=Failed&q=northwind&format=jsonl", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = Assert.Single(await AuditLog.ReadAsync(database), e => e.Action == AuditActions.ListExported);
        Assert.Equal("support@workflowadmin.local", entry.Actor);
        Assert.Equal(Roles.Support, entry.ActorRoles);
        Assert.Equal(AuditTargets.List, entry.TargetType);
        Assert.Equal("executions", entry.TargetId);
        AuditLog.JsonEqual("""{"format":"jsonl","query":"q=northwind&status=Failed"}""", entry.AfterJson);
    }

    [Fact]
    public async Task A_list_is_exported_only_for_the_roles_that_see_it()
    {
        await AdminTestData.SeedExecutionsAsync(app.Services, 5);
        using var support = await ConsoleHttp.SignedInClientAsync(app, Roles.Support);

        // Users are listed for Admins only: Support is refused, with nothing of the list and nothing audited.
        using var refused = await support.GetAsync(new Uri("/users/export?format=csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("@workflowadmin.local", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await AuditLog.ReadAsync(database), e => e.Action == AuditActions.ListExported);

        using var admin = await ConsoleHttp.SignedInClientAsync(app, Roles.Admin);
        var users = await ReadCsvAsync(await admin.GetAsync(new Uri("/users/export?format=csv", UriKind.Relative)));
        Assert.Equal(["Email", "Name", "Roles", "Disabled", "Locked out until", "Created"], users[0]);
        Assert.Contains(users, r => r[0] == "support@workflowadmin.local" && r[2] == Roles.Support);

        // Signed out: sent to sign in.
        using var anonymous = ConsoleHttp.CreateClient(app);
        using var redirected = await anonymous.GetAsync(new Uri("/executions/export?format=csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Contains("/account/login", redirected.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_format_is_refused_with_a_clear_error_and_nothing_audited()
    {
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Support);

        using var response = await client.GetAsync(new Uri("/executions/export?format=xlsx", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("format=csv or format=jsonl", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await AuditLog.ReadAsync(database), e => e.Action == AuditActions.ListExported);
    }

    [Theory]
    [InlineData("customer-admins")]
    [InlineData("pending-invites")]
    public async Task The_email_of_a_provisioned_person_is_masked_in_the_export_for_an_admin_too_and_still_found_by_search(string list)
    {
        await AdminTestData.ProvisionAsync(app.Services, "Northwind Traders", "northwind");
        await using var db = database.CreateDbContext();
        var emails = list == "customer-admins"
            ? await db.CustomerAdmins.Select(a => a.Email).ToListAsync()
            : await db.PendingInvites.Select(i => i.Email).ToListAsync();
        Assert.NotEmpty(emails);
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Admin);

        using var csv = await client.GetAsync(new Uri($"/admin/{list}/export?format=csv", UriKind.Relative));
        var rows = await ReadCsvAsync(csv);
        var email = rows[0].IndexOf("Email");
        Assert.Equal(emails.Count, rows.Count - 1);
        Assert.All(rows.Skip(1), r => Assert.Equal("[masked]", r[email]));

        // The search still finds a person by their address (as the executions' search does), and shows them masked.
        using var found = await client.GetAsync(new Uri($"/admin/{list}/export?format=jsonl&q={Uri.EscapeDataString(emails[0])}", UriKind.Relative));
        var body = await found.Content.ReadAsStringAsync();
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Equal("[masked]", JsonNode.Parse(lines[0])!["email"]!.GetValue<string>());
        Assert.All(emails, e => Assert.DoesNotContain(e, body, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<List<List<string>>> ReadCsvAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        return CsvParser.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }
}

public sealed class SqliteListExportTests(SqliteDatabaseFixture database)
    : ListExportTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresListExportTests(PostgresDatabaseFixture database)
    : ListExportTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
