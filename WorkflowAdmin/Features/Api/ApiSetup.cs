using System.Globalization;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using WorkflowAdmin.Features.Provisioning.Api;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// The HTTP API for back-office systems: <c>/api/v1</c> (provisioning and executions), authenticated by API key only,
/// rate-limited per key, documented at <c>/openapi/v1.json</c>.
/// </summary>
internal static class ApiSetup
{
    public const string BasePath = "/api/v1";
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    private const string RateLimitPolicy = "api-key";

    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName)
            .Validate(o => o.RateLimit.PermitLimit > 0 && o.RateLimit.Window > TimeSpan.Zero, "Api:RateLimit needs a positive PermitLimit and Window.")
            .Validate(o => o.InvalidKeyLimit.PermitLimit > 0 && o.InvalidKeyLimit.Window > TimeSpan.Zero, "Api:InvalidKeyLimit needs a positive PermitLimit and Window.")
            .Validate(o => o.LongPoll.MaxPerKey > 0 && o.LongPoll.MaxPerNode > 0, "Api:LongPoll:MaxPerKey and MaxPerNode must be positive.")
            .ValidateOnStart();

        // Abuse limits kept in this node's memory (decision 0014).
        services.AddSingleton<InvalidKeyThrottle>();
        services.AddSingleton<LongPollSlots>();

        // Authentication: the API-key scheme, next to (never instead of) the console's cookie.
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        ApiPolicies.Add(services.AddAuthorizationBuilder());

        // A console session calling the API gets a 401, not a redirect to the sign-in page.
        services.ConfigureApplicationCookie(options =>
        {
            var toLogin = options.Events.OnRedirectToLogin;
            var toDenied = options.Events.OnRedirectToAccessDenied;
            options.Events.OnRedirectToLogin = context => IsApi(context.Request) ? Refuse(context, StatusCodes.Status401Unauthorized) : toLogin(context);
            options.Events.OnRedirectToAccessDenied = context => IsApi(context.Request) ? Refuse(context, StatusCodes.Status403Forbidden) : toDenied(context);
        });

        // Rate limiting: a fixed window per key. Requests without a valid key never get here: they are refused (401)
        // by authentication, and per address (429, InvalidKeyThrottle) before their key is even looked up.
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = OnRateLimitedAsync;
            options.AddPolicy(RateLimitPolicy, context =>
            {
                var keyId = context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
                if (keyId is null)
                {
                    return RateLimitPartition.GetNoLimiter("no-key");
                }

                var limit = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value.RateLimit;
                return RateLimitPartition.GetFixedWindowLimiter(keyId, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.PermitLimit,
                    Window = limit.Window,
                    QueueLimit = 0,
                });
            });
        });

        // JSON: enums by name and numbers as numbers, in answers and in the OpenAPI document.
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                ApiDocument.Describe(document);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(WorkflowStartEndpoints.DescribeWorkflowInputsAsync);
        });

        services.AddHostedService<IdempotencyCleanup>();
        return services;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        // An API error without a body (a 405, say) gets problem details, not the console's HTML "not found" page.
        app.UseWhen(context => IsApi(context.Request), branch => branch.UseStatusCodePages(async context =>
            await ApiProblems.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode, "Error",
                $"The request failed with status {context.HttpContext.Response.StatusCode}.")));
        app.UseRateLimiter();

        var api = app.MapGroup(BasePath)
            .WithTags("Provisioning API")
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter<ApiExceptionFilter>();
        api.MapProvisioningEndpoints();
        api.MapWorkflowStartEndpoints();
        api.MapExecutionsEndpoints();
        api.MapWorkflowsEndpoints();
        api.Map("/{**path}", (HttpRequest request) => ApiProblems.NotFound($"There is no API endpoint {request.Method} {request.Path}."))
            .AllowAnonymous()
            .ExcludeFromDescription();

        // The contract holds no data and integrators' tools fetch it without a console session (decision 0010).
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        return app;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments(BasePath, StringComparison.OrdinalIgnoreCase);

    private static Task Refuse(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status) =>
        ApiProblems.WriteAsync(context.HttpContext, status, status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Forbidden",
            "The API accepts API keys only: 'Authorization: Bearer wfa_…' or 'X-Api-Key: wfa_…'.");

    private static async ValueTask OnRateLimitedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiProblems.WriteAsync(
            context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"This API key made too many requests; try again in {seconds} s.");
    }
}
