using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// The API's error answers, all RFC 7807 problem details (<c>application/problem+json</c>) with the request's trace
/// id, which is also the correlation id of any audit entry the request wrote: a client's bug report names it.
/// </summary>
internal static class ApiProblems
{
    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: TraceExtension());

    /// <summary>400 with every field error under its path in the request, as <c>errors: { path: [messages] }</c>.</summary>
    public static ValidationProblem Validation(IEnumerable<InputError> errors, string detail = "The request has invalid fields; nothing was created.") =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Path.Length == 0 ? "$" : e.Path, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal),
            detail: detail,
            title: "The request is invalid",
            extensions: TraceExtension());

    public static ProblemHttpResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "The request is invalid", detail);

    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>Writes a problem outside an endpoint (authentication, rate limiting), where no result is returned.</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Problem(status, title, detail).ExecuteAsync(context);
    }

    private static Dictionary<string, object?> TraceExtension() => new(StringComparer.Ordinal)
    {
        ["traceId"] = Activity.Current?.TraceId.ToString(),
    };
}
