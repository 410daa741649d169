using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Audit;

/// <summary>
/// <c>GET /audit/export.csv?{the list's query string}</c>: every entry the audit list shows for the same filters,
/// search and sort (not just one page), as CSV. Rows stream from the database to the response one at a time, so
/// a trail of any length never sits in memory. Authorised here, against the user's roles in the database now.
/// </summary>
internal static class AuditExportEndpoint
{
    public const string Path = "/audit/export.csv";

    private static readonly string[] Header =
    [
        "Sequence", "Time (UTC)", "Actor", "Actor kind", "Actor roles", "Action", "Action label", "Target type", "Target id",
        "Target name", "Reason", "Client IP", "Correlation id", "Before", "After", "Previous hash", "Hash", "Entry id",
    ];

    // Spreadsheets read a UTF-8 file as the local code page unless it starts with a byte order mark.
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        // Signed-in users only (the fallback policy: anyone else is sent to sign in); the role is checked in the handler.
        endpoints.MapGet(Path, ExportAsync).RequireAuthorization();
        return endpoints;
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, IServiceScopeFactory scopeFactory, AuditAdmin admin, AppDbContext db, TimeProvider time)
    {
        var actor = await CurrentActor.ForPrincipalAsync(http.User, scopeFactory, http.Connection.RemoteIpAddress?.ToString());
        try
        {
            actor.Demand(Permission.ReadAudit);
        }
        catch (AccessDeniedException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Access denied", detail: ex.Message);
        }

        var state = ListState.FromUri(http.Request.QueryString.Value ?? "", admin);
        var rows = admin.ExportQuery(db, state);
        var fileName = string.Create(CultureInfo.InvariantCulture, $"audit-{time.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}.csv");
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(body => WriteAsync(body, rows, http.RequestAborted), "text/csv; charset=utf-8", fileName);
    }

    private static async Task WriteAsync(Stream body, IQueryable<AuditExportRow> rows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, Utf8WithBom, bufferSize: 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(Csv.Record(Header));
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var entry = row.Row;
            await writer.WriteAsync(Csv.Record(
            [
                // An entry not sealed yet has no position or hashes: those cells stay empty until it is.
                entry.Sequence?.ToString(CultureInfo.InvariantCulture), AuditFormat.Iso(entry.OccurredAt), entry.Actor, entry.ActorKind,
                entry.ActorRoles, entry.Action, AuditActionLabels.Of(entry.Action), entry.TargetType, entry.TargetId, entry.TargetName,
                entry.Reason, entry.ClientIp, entry.CorrelationId, row.BeforeJson, row.AfterJson, row.PreviousHash, row.Hash,
                entry.Id.ToString(CultureInfo.InvariantCulture),
            ]));
        }
    }
}
