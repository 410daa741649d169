using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// Authenticates API calls by key: <c>Authorization: Bearer wfa_…</c> or <c>X-Api-Key: wfa_…</c>. It is never the
/// default scheme, so a key cannot open a console page; the API's policies name only this scheme, so a console
/// cookie cannot call the API. Challenges and refusals answer with problem details rather than a login redirect.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys, InvalidKeyThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyHeader = "X-Api-Key";
    public const string ScopeClaim = "scope";

    private const string InvalidKey = "The API key is not valid or has been revoked.";

    // Set on the request when the answer is not "who are you?" (401) but "not now" (429) or "not us" (503).
    private TimeSpan? throttledFor;
    private bool lookupFailed;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // An address that has sent too many requests without a valid key is refused before anything is looked up:
        // a flood of guessed keys must not become a flood of database queries.
        // A key this node accepted recently still gets through: it is looked up as usual (so a revoked one is refused).
        var address = InvalidKeyThrottle.AddressOf(Context);
        var bearer = BearerToken(Request.Headers.Authorization);
        var header = Request.Headers[KeyHeader] is { Count: > 0 } values ? values.ToString() : null;
        if (throttle.Windows.IsExhausted(address, out var retryAfter) && !throttle.WasRecentlyValid(bearer ?? header))
        {
            throttledFor = retryAfter;
            return AuthenticateResult.Fail("Too many requests without a valid API key.");
        }

        var result = await AuthenticateKeyAsync(bearer, header);
        if (result.Succeeded)
        {
            throttle.RememberValid((bearer ?? header)!);
        }
        else if (!lookupFailed)
        {
            throttle.Windows.Record(address);
        }

        return result;
    }

    private async Task<AuthenticateResult> AuthenticateKeyAsync(string? bearer, string? header)
    {
        if (bearer is null && header is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (bearer is not null && header is not null && bearer != header)
        {
            return AuthenticateResult.Fail("The Authorization and X-Api-Key headers carry different keys.");
        }

        AuthenticatedApiKey? key;
        try
        {
            key = await keys.AuthenticateAsync(bearer ?? header, Context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Authentication runs before the API's exception filter: without this, a database fault here would
            // reach the client as Kestrel's empty 500 or, in Development, as the exception page with its text.
            lookupFailed = true;
            LogLookupFailed(Logger, ex, System.Diagnostics.Activity.Current?.TraceId.ToString());
            return AuthenticateResult.Fail("The API key could not be checked.");
        }

        if (key is null)
        {
            return AuthenticateResult.Fail(InvalidKey);
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, key.Id.ToString()),
                new Claim(ClaimTypes.Name, key.Name),
                .. key.Scopes.Select(s => new Claim(ScopeClaim, ApiScopes.Name(s))),
                .. key.TriggerWorkflows.Select(k => new Claim(ScopeClaim, ApiKey.TriggerWorkflowPrefix + k)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (throttledFor is { } wait)
        {
            var seconds = AttemptWindows.Seconds(wait);
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiProblems.WriteAsync(
                Context, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"Too many requests without a valid API key came from this address; try again in {seconds} s.");
            return;
        }

        if (lookupFailed)
        {
            Response.Headers.RetryAfter = "5";
            await ApiProblems.WriteAsync(
                Context, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The API key could not be checked just now; try again. The error was logged under this trace id.");
            return;
        }

        var failed = result.Failure is not null;
        Response.Headers.WWWAuthenticate = failed ? "Bearer error=\"invalid_token\"" : "Bearer";
        await ApiProblems.WriteAsync(
            Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            failed ? result.Failure!.Message : "Send an API key: 'Authorization: Bearer wfa_…' or 'X-Api-Key: wfa_…'. Admins create keys in the console under API keys.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => ApiPolicies.Describe(a.Policy)).FirstOrDefault(d => d is not null);
        return ApiProblems.WriteAsync(
            Context, StatusCodes.Status403Forbidden, "Forbidden",
            $"This API key's scopes ({string.Join(", ", Context.User.FindAll(ScopeClaim).Select(c => c.Value))}) do not allow this request; it needs {needed ?? "another scope"}.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The API key lookup failed (trace id {TraceId}).")]
    private static partial void LogLookupFailed(ILogger logger, Exception exception, string? traceId);

    private static string? BearerToken(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization["Bearer ".Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}

/// <summary>The API's two policies: each names the API-key scheme only, and the scopes that satisfy it.</summary>
internal static class ApiPolicies
{
    public const string Trigger = "api:trigger";

    /// <summary>
    /// Reading executions. A read key sees every execution; a trigger-only key sees the executions it started
    /// (see <see cref="ApiCaller.CanReadAll"/>), so a system that provisions can follow its own work without being
    /// able to read anyone else's.
    /// </summary>
    public const string Read = "api:read";

    public static void Add(AuthorizationBuilder builder)
    {
        builder.AddPolicy(Trigger, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.Name(ApiScope.Trigger)));
        builder.AddPolicy(Read, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.Name(ApiScope.Read), ApiScopes.Name(ApiScope.Trigger)));
    }

    public static string? Describe(string? policy) => policy switch
    {
        Trigger => "the 'trigger' scope",
        Read => "the 'read' or 'trigger' scope",
        _ => null,
    };
}

/// <summary>The API key behind a request, as the domain's <see cref="Actor"/>.</summary>
internal sealed record ApiCaller(Actor Actor, Guid KeyId)
{
    /// <summary>A read key reads every execution; a trigger-only key only those it triggered.</summary>
    public bool CanReadAll => Actor.Can(Permission.ViewExecutions);

    public static ApiCaller From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        var id = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var scopes = ApiScopes.Parse(string.Join(",", user.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value)));
        // "trigger:{key}" scopes limit what the key may start (and nothing else: reading is not limited by them).
        var workflows = ApiKey.TriggerWorkflowsOf(string.Join(",", user.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value)));
        var actor = Actor.ForApiKey(user.Identity!.Name!, scopes).LimitedTo(workflows) with
        {
            Id = id.ToString(),
            ClientIp = context.Connection.RemoteIpAddress?.ToString(),
            CorrelationId = Security.CurrentActor.NewCorrelationId(),
        };
        return new ApiCaller(actor, id);
    }
}
