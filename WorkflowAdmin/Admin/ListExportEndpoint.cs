using System.Globalization;
using System.Text;
using System.Text.Json;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Admin;

/// <summary>
/// <c>GET {list}/export?{the list's query string}&amp;format=csv|jsonl</c> for every registered list (unless its
/// feature serves its own download): every row the list selects with the same filters, search and sort, with the
/// columns it shows. Rows are read in keyset batches and written to the response batch by batch, so the server
/// holds one batch whatever the size of the list. Authorised here against the user's roles in the database now
/// (the roles that see the list), and audited once, before the first row is read.
/// </summary>
public static class ListExportEndpoint
{
    /// <summary>Rows per query: small enough to stay flat in memory, large enough that a round trip is amortised.</summary>
    public const int BatchSize = 2_000;

    // Spreadsheets read a UTF-8 file as the local code page unless it starts with a byte order mark.
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static IEndpointRouteBuilder MapListExports(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var registry = endpoints.ServiceProvider.GetRequiredService<AdminRegistry>();
        foreach (var admin in registry.All)
        {
            if (admin.ListExportPath is { } path)
            {
                // Signed-in users only (the fallback policy sends anyone else to sign in); the role is checked in the handler.
                endpoints.MapGet(path, (HttpContext http, IServiceScopeFactory scopes, AppDbContext db, TimeProvider time) =>
                    ExportAsync(admin, http, scopes, db, time)).RequireAuthorization();
            }
        }

        return endpoints;
    }

    private static async Task<IResult> ExportAsync(EntityAdmin admin, HttpContext http, IServiceScopeFactory scopes, AppDbContext db, TimeProvider time)
    {
        var actor = await CurrentActor.ForPrincipalAsync(http.User, scopes, http.Connection.RemoteIpAddress?.ToString());
        if (!admin.IsVisibleTo(actor))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Access denied",
                detail: $"{admin.Title} can be exported by {admin.Roles.Replace(",", ", ", StringComparison.Ordinal)} only.");
        }

        var formatName = http.Request.Query[ExportFormats.Key].LastOrDefault();
        if (ExportFormats.Parse(formatName) is not { } format)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown export format",
                detail: $"The format '{formatName}' is not one this list exports; use format=csv or format=jsonl.");
        }

        var state = ListState.FromUri(http.Request.QueryString.Value ?? "", admin);
        var now = time.GetUtcNow().UtcDateTime;
        await AuditTrail.SaveAsync(db, AuditRecord.For(actor, AuditActions.ListExported, now, AuditTargets.List, admin.Slug,
            after: new { format = ExportFormats.Name(format), query = state.ToQueryString() }), http.RequestAborted);

        var extension = format == ExportFormat.Csv ? "csv" : "jsonl";
        var fileName = string.Create(CultureInfo.InvariantCulture, $"{admin.Slug}-{now:yyyyMMdd-HHmmss}.{extension}");
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(
            body => format == ExportFormat.Csv
                ? WriteCsvAsync(body, admin, db, state, http.RequestAborted)
                : WriteJsonLinesAsync(body, admin, db, state, http.RequestAborted),
            ExportFormats.ContentType(format), fileName);
    }

    /// <summary>The rows as RFC 4180 CSV with the list's column titles as the header; formula-like cells defused (<see cref="Csv"/>).</summary>
    public static async Task WriteCsvAsync(Stream body, EntityAdmin admin, AppDbContext db, ListState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        await using var writer = new StreamWriter(body, Utf8WithBom, bufferSize: 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(Csv.Record(admin.ExportFieldsFor(state).Select(f => f.Title)));
        await foreach (var batch in admin.ExportAsync(db, state, BatchSize, cancellationToken))
        {
            foreach (var values in batch)
            {
                await writer.WriteAsync(Csv.Record(values.Select(ExportValueText.Csv)));
            }

            // Each batch goes out before the next is read: the client sees progress and the server keeps nothing.
            await writer.FlushAsync(cancellationToken);
        }
    }

    /// <summary>The rows as JSON Lines: one object per row, keyed by <see cref="ExportField.Name"/>, typed values.</summary>
    public static async Task WriteJsonLinesAsync(Stream body, EntityAdmin admin, AppDbContext db, ListState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(body);
        var fields = admin.ExportFieldsFor(state);
        var names = fields.Select(f => JsonEncodedText.Encode(f.Name)).ToArray();
        using var buffer = new MemoryStream();
        await using var json = new Utf8JsonWriter(buffer);
        await foreach (var batch in admin.ExportAsync(db, state, BatchSize, cancellationToken))
        {
            foreach (var values in batch)
            {
                json.WriteStartObject();
                for (var i = 0; i < names.Length; i++)
                {
                    json.WritePropertyName(names[i]);
                    ExportValueText.Json(json, values[i]);
                }

                json.WriteEndObject();
                await json.FlushAsync(cancellationToken);
                buffer.WriteByte((byte)'\n');
                json.Reset();
            }

            await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
            await body.FlushAsync(cancellationToken);
            buffer.SetLength(0);
        }
    }
}
