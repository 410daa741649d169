using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// <c>GET /api/v1/executions/{id}</c> (optionally long-polling with <c>?wait=</c>) and <c>GET /api/v1/executions</c>
/// (filters and keyset paging). A read key sees every execution; a trigger-only key sees what it triggered, and
/// anything else is "not found" to it, so it cannot even learn that other executions exist.
/// </summary>
internal static class ExecutionsEndpoints
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    // A waiting request reads one row by primary key per interval, and never more often than this.
    private static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(1);

    // The list's parameters: anything else is a client's mistake (a "page" or "sort" this API does not have), and
    // silently ignoring it would hand the client a page it did not ask for.
    // Decision 0040: what a key without the pii scope reads of personal data.
    public const string PersonalDataNote =
        "Values of fields declared personal (emails, names) are replaced by the string \"" + PayloadMasker.Masked + "\", and so are " +
        "email addresses in error messages, unless the key also has the pii scope.";

    private static readonly string[] ListParameters = ["status", "workflow", "businessKey", "createdAfter", "createdBefore", "limit", "cursor"];

    public static RouteGroupBuilder MapExecutionsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/executions/{id:guid}", GetAsync)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("GetExecution")
            .WithSummary("Get one execution")
            .WithDescription(
                "Status, timestamps, every step's status and error summary, and the composed output once the execution succeeded. " +
                "With ?wait=N (seconds, at most 30) the answer waits until the execution is Succeeded, Failed or Cancelled, or N seconds pass. " +
                "A key may hold only a few waits open at once (429 with Retry-After beyond that). " +
                "An error's message is shown when it is the step's own business refusal; an internal error is reported as InternalError, " +
                "its details kept in the console. " + PersonalDataNote)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The handler accepts any whole number and waits at most 30 s; the contract names the useful range.
                ApiDocument.DescribeQuery(
                    operation, "wait", ApiDocument.Integer(0, (int)MaxWait.TotalSeconds),
                    $"Seconds to wait for a final status (at most {MaxWait.TotalSeconds:0}; a larger value waits {MaxWait.TotalSeconds:0}).");
                return Task.CompletedTask;
            });
        api.MapGet("/executions", ListAsync)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListExecutions")
            .WithSummary("List executions")
            .WithDescription(
                "Newest first. Filter by status (repeatable), workflow, business key and creation time; page with limit " +
                $"(default {DefaultLimit}, at most {MaxLimit}) and the nextCursor of the previous page. Pages are keyset pages: " +
                "executions created while you page do not shift or repeat rows. " + PersonalDataNote)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                ApiDocument.DescribeQuery(
                    operation, "status", ApiDocument.ArrayOf(ApiDocument.EnumOf<ExecutionStatus>()),
                    "Only executions in these statuses: repeat the parameter or separate with commas.");
                ApiDocument.DescribeQuery(operation, "createdAfter", ApiDocument.DateTimeString(), "Created at or after this time (ISO 8601; UTC when no offset is given).");
                ApiDocument.DescribeQuery(operation, "createdBefore", ApiDocument.DateTimeString(), "Created before this time (ISO 8601; UTC when no offset is given).");
                ApiDocument.DescribeQuery(operation, "limit", ApiDocument.Integer(1, MaxLimit), $"Executions per page (default {DefaultLimit}).");
                return Task.CompletedTask;
            });
        return api;
    }

    private static async Task<Results<Ok<ExecutionDetail>, ProblemHttpResult>> GetAsync(
        Guid id, string? wait, HttpContext http, AppDbContext db, WorkflowRegistry workflows, TimeProvider time,
        LongPollSlots longPolls, Microsoft.Extensions.Options.IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var caller = ApiCaller.From(http);
        TimeSpan waitFor = TimeSpan.Zero;
        if (wait is not null)
        {
            if (!int.TryParse(wait, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return ApiProblems.BadRequest("wait must be a whole number of seconds (at most 30 are waited).");
            }

            waitFor = TimeSpan.FromSeconds(Math.Min(seconds, MaxWait.TotalSeconds));
        }

        using var slot = waitFor > TimeSpan.Zero ? longPolls.TryEnter(caller.KeyId) : null;
        if (waitFor > TimeSpan.Zero && slot is null)
        {
            http.Response.Headers.RetryAfter = "5";
            return ApiProblems.Problem(
                StatusCodes.Status429TooManyRequests, "Too many waiting requests",
                $"This API key (or this server) already holds as many ?wait= requests open as it may; try again in 5 s, or ask without ?wait=.");
        }

        var interval = options.Value.LongPoll.PollInterval < MinPollInterval ? MinPollInterval : options.Value.LongPoll.PollInterval;
        var execution = await WaitForFinishAsync(db, caller, id, waitFor, interval, time, cancellationToken);
        if (execution is null)
        {
            return ApiProblems.NotFound($"There is no execution {id}.");
        }

        return TypedResults.Ok(ToDetail(execution, workflows, caller.Actor.Can(Permission.ReadPersonalData)));
    }

    private static async Task<WorkflowExecution?> WaitForFinishAsync(
        AppDbContext db, ApiCaller caller, Guid id, TimeSpan wait, TimeSpan pollInterval, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var status = await Visible(db, caller).Where(e => e.Id == id).Select(e => (ExecutionStatus?)e.Status).SingleOrDefaultAsync(cancellationToken);
            if (status is null)
            {
                return null;
            }

            var left = deadline - time.GetUtcNow();
            if (!StatusTransitions.IsFinal(status.Value) && left > TimeSpan.Zero)
            {
                await Task.Delay(left < pollInterval ? left : pollInterval, time, cancellationToken);

                // The last, shorter sleep ends the wait: a timer that fires a hair early must not buy another read.
                if (left > pollInterval)
                {
                    continue;
                }
            }

            return await Visible(db, caller).Include(e => e.Steps).SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        }
    }

    private static async Task<Results<Ok<ExecutionPage>, ValidationProblem>> ListAsync(
        HttpContext http, AppDbContext db, CancellationToken cancellationToken,
        string[]? status = null, string? workflow = null, string? businessKey = null, string? createdAfter = null,
        string? createdBefore = null, string? limit = null, string? cursor = null)
    {
        var caller = ApiCaller.From(http);
        var errors = new InputErrors();
        foreach (var unknown in http.Request.Query.Keys.Where(k => !ListParameters.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add(unknown.Length > 40 ? unknown[..40] + "…" : unknown, $"is not a parameter of this list; use {string.Join(", ", ListParameters)} (page with cursor)");
        }

        var statuses = new List<ExecutionStatus>();
        foreach (var value in (status ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Enum.TryParse<ExecutionStatus>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _))
            {
                if (!statuses.Contains(parsed))
                {
                    statuses.Add(parsed);
                }
            }
            else
            {
                errors.Add("status", $"'{(value.Length > 40 ? value[..40] + "…" : value)}' is not a status; use {string.Join(", ", Enum.GetNames<ExecutionStatus>())}");
            }
        }

        // Nothing is keyed with control characters, and PostgreSQL refuses U+0000 in a parameter: say so, not the database.
        foreach (var (name, value) in new[] { ("workflow", workflow), ("businessKey", businessKey) })
        {
            if (value is not null && value.Any(char.IsControl))
            {
                errors.Add(name, "must not contain control characters");
            }
        }

        var after = ParseTime(createdAfter, "createdAfter", errors);
        var before = ParseTime(createdBefore, "createdBefore", errors);
        var pageSize = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxLimit))
        {
            errors.Add("limit", $"must be a whole number from 1 to {MaxLimit}");
        }

        var position = cursor is null ? null : Cursor.Decode(cursor);
        if (cursor is not null && position is null)
        {
            errors.Add("cursor", "is not a cursor this API returned");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.All, "The query has invalid parameters.");
        }

        var query = Visible(db, caller);
        if (statuses.Count > 0)
        {
            query = query.Where(e => statuses.Contains(e.Status));
        }

        if (workflow is not null)
        {
            query = query.Where(e => e.DefinitionKey == workflow);
        }

        if (businessKey is not null)
        {
            query = query.Where(e => e.BusinessKey == businessKey);
        }

        if (after is { } from)
        {
            query = query.Where(e => e.CreatedAt >= from);
        }

        if (before is { } to)
        {
            query = query.Where(e => e.CreatedAt < to);
        }

        // Keyset paging on (CreatedAt, Id), the list's order: each page starts strictly after the last row of the one
        // before, so new executions never shift a page, and the database seeks instead of counting past an offset.
        if (position is { } p)
        {
            query = query.Where(e => e.CreatedAt < p.CreatedAt || (e.CreatedAt == p.CreatedAt && e.Id.CompareTo(p.Id) < 0));
        }

        var rows = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Take(pageSize + 1)
            .Select(SummaryProjection)
            .ToListAsync(cancellationToken);
        var readsPersonal = caller.Actor.Can(Permission.ReadPersonalData);
        var items = rows.Take(pageSize).Select(r => r with { Href = Href(r.Id), Error = MaskError(PublicError.Of(r.Error), readsPersonal, null) }).ToList();
        var next = rows.Count > pageSize ? Cursor.Encode(items[^1].CreatedAt, items[^1].Id) : null;
        return TypedResults.Ok(new ExecutionPage(items, next, next is null ? null : NextLink(http.Request, next)));
    }

    public static string Href(Guid id) => $"/api/v1/executions/{id}";

    public static ExecutionSummary ToSummary(WorkflowExecution execution)
    {
        var summary = CompiledSummary(execution);
        return summary with { Href = Href(execution.Id), Error = PublicError.Of(summary.Error) };
    }

    // One projection for the list query (translated by EF) and for a loaded execution (compiled once).
    private static readonly System.Linq.Expressions.Expression<Func<WorkflowExecution, ExecutionSummary>> SummaryProjection = e => new ExecutionSummary
    {
        Id = e.Id,
        Workflow = e.DefinitionKey,
        WorkflowVersion = e.DefinitionVersion,
        Status = e.Status,
        BusinessKey = e.BusinessKey,
        TriggeredBy = e.TriggeredBy,
        Source = e.TriggerSource,
        CreatedAt = e.CreatedAt,
        StartedAt = e.StartedAt,
        FinishedAt = e.FinishedAt,
        ModifiedAt = e.ModifiedAt,
        CurrentStep = e.CurrentStepKey,
        Error = e.ErrorType == null && e.ErrorMessage == null ? null : new ExecutionError(e.FailedStepKey, e.ErrorType, e.ErrorMessage),
        RerunOf = e.RerunOfId,
    };

    private static readonly Func<WorkflowExecution, ExecutionSummary> CompiledSummary = SummaryProjection.Compile();

    private static ExecutionDetail ToDetail(WorkflowExecution e, WorkflowRegistry workflows, bool readsPersonal)
    {
        workflows.TryGet(e.DefinitionKey, out var definition);
        var personal = readsPersonal ? null : PayloadMasker.PersonalValuesOf(definition, e);
        var steps = e.Steps.OrderBy(s => s.Ordinal).Select(s => new StepSummary
        {
            Key = s.StepKey,
            Name = definition?.Steps.FirstOrDefault(d => d.Key == s.StepKey)?.DisplayName ?? s.StepKey,
            Status = s.Status,
            Attempts = s.AttemptCount,
            Reused = s.IsReused,
            StartedAt = s.StartedAt,
            FinishedAt = s.FinishedAt,
            Error = s.ErrorType is null && s.ErrorMessage is null
                ? null
                : MaskError(PublicError.Of(new ExecutionError(s.StepKey, s.ErrorType, s.ErrorMessage)), readsPersonal, personal),
        }).ToList();
        var summary = ToSummary(e);
        var output = e.Status == ExecutionStatus.Succeeded ? e.OutputJson : null;
        if (!readsPersonal)
        {
            summary = summary with { Error = MaskError(summary.Error, readsPersonal, personal) };
            output = PayloadMasker.MaskOutput(definition, output);
        }

        return new ExecutionDetail(summary, steps)
        {
            CancelRequestedAt = e.CancelRequestedAt,
            Output = output is null ? null : JsonDocument.Parse(output).RootElement.Clone(),
        };
    }

    // A business refusal's message may quote what the request sent (an admin's address): masked like the payloads.
    private static ExecutionError? MaskError(ExecutionError? error, bool readsPersonal, IEnumerable<string>? personalValues) =>
        error is null || readsPersonal ? error : error with { Message = PayloadMasker.MaskText(error.Message, personalValues) };

    private static IQueryable<WorkflowExecution> Visible(AppDbContext db, ApiCaller caller)
    {
        var executions = db.WorkflowExecutions.AsNoTracking();
        if (caller.CanReadAll)
        {
            return executions;
        }

        var name = caller.Actor.Name;
        return executions.Where(e => e.TriggerSource == TriggerSource.Api && e.TriggeredBy == name);
    }

    private static DateTime? ParseTime(string? value, string name, InputErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.UtcDateTime;
        }

        errors.Add(name, "must be an ISO 8601 time, e.g. 2026-03-01T00:00:00Z");
        return null;
    }

    private static string NextLink(HttpRequest request, string cursor)
    {
        var query = request.Query.Where(q => q.Key != "cursor")
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"cursor={Uri.EscapeDataString(cursor)}");
        return $"{request.PathBase}{request.Path}?{string.Join("&", query)}";
    }

    /// <summary>The opaque position after a page's last row: its creation time and id.</summary>
    internal static class Cursor
    {
        public static string Encode(DateTime createdAt, Guid id) =>
            Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{createdAt.Ticks}.{id:N}")))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static (DateTime CreatedAt, Guid Id)? Decode(string cursor)
        {
            try
            {
                var base64 = cursor.Replace('-', '+').Replace('_', '/');
                var text = Encoding.ASCII.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
                var parts = text.Split('.');
                return parts.Length == 2
                       && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                       && ticks <= DateTime.MaxValue.Ticks
                       && Guid.TryParseExact(parts[1], "N", out var id)
                    ? (new DateTime(ticks, DateTimeKind.Utc), id)
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
