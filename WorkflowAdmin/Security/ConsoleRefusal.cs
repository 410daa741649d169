using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components.Endpoints;

namespace WorkflowAdmin.Security;

/// <summary>
/// A signed-in user refused a console page gets that page's address answered with 403 and the console's own
/// refusal (menu, heading, a way back) instead of a redirect to a bare page outside the console. The page is not
/// rendered: the router's <c>AuthorizeRouteView</c> checks the same <c>[Authorize]</c> attribute and shows
/// <c>AccessDeniedNotice</c> in its place, as it already does when the user navigates there inside the circuit.
/// Everything else (exports, Hangfire's pages, the API) keeps the default: challenge or forbid.
/// </summary>
internal sealed class ConsoleRefusal : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden
            && context.User.Identity?.IsAuthenticated == true
            && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
            && HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return next(context);
        }

        return fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
