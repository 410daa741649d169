using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// The API's last line: whatever escapes a handler becomes problem details. A client's mistake (a bad request the
/// server only notices while reading, an invalid input, a missing permission) is its 4xx; anything else is logged and
/// answered 500 with the trace id only, never with internals. The console's error page never answers an API call.
/// </summary>
internal sealed partial class ApiExceptionFilter(ILogger<ApiExceptionFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (BadHttpRequestException ex)
        {
            // The server's own words, not Kestrel's exception text (decision 0014).
            return ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiProblems.Problem(ex.StatusCode, "Payload too large", $"The body must be at most {JsonBody.MaxBytes / 1024} KB.")
                : ApiProblems.Problem(ex.StatusCode, "Bad request", "The request could not be read: it ended early or is malformed.");
        }
        catch (InputValidationException ex)
        {
            return ApiProblems.Validation(ex.Errors);
        }
        catch (AccessDeniedException ex)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "Forbidden", ex.Message);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads an answer.
            return Results.Empty;
        }
        catch (Exception ex)
        {
            LogUnexpected(ex, context.HttpContext.Request.Method, context.HttpContext.Request.Path, System.Diagnostics.Activity.Current?.TraceId.ToString());
            return ApiProblems.Problem(
                StatusCodes.Status500InternalServerError, "Internal server error",
                "The request could not be completed; the error was logged under this trace id.");
        }
    }

    // The trace id is in the message itself, so staff find the full exception by searching the log for the id the client quotes.
    [LoggerMessage(Level = LogLevel.Error, Message = "API request {Method} {Path} failed (trace id {TraceId}).")]
    private partial void LogUnexpected(Exception exception, string method, string path, string? traceId);
}
