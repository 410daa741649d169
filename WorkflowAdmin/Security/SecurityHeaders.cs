namespace WorkflowAdmin.Security;

/// <summary>
/// The headers on every response (pages, API answers, errors, static files, redirects, /jobs): one policy for the
/// whole application, set as the response starts, so it also covers what the exception handler and the status-code
/// pages write and replaces the narrower frame-ancestors policy Blazor adds by itself (decision 0013).
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Scripts only from our own origin, as files: no inline script, no eval. Styles allow 'unsafe-inline' because
    /// MudBlazor writes style attributes and its theme as a &lt;style&gt; element through the Blazor renderer,
    /// where no nonce can reach them. Images may be data: URLs (icons in app.css, Hangfire's favicon).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ReferrerPolicy = "same-origin";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                Apply((HttpContext)state);
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy + "; " + ConnectSource(context.Request);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = ReferrerPolicy;

        // For browsers that predate frame-ancestors.
        headers.XFrameOptions = "DENY";
    }

    /// <summary>
    /// The circuit's WebSocket is same-origin, but older Safari does not let 'self' cover ws:/wss:, so the origin's
    /// own WebSocket address is named too. Kestrel has already refused a malformed Host header.
    /// </summary>
    private static string ConnectSource(HttpRequest request) =>
        request.Host.HasValue
            ? $"connect-src 'self' {(request.IsHttps ? "wss" : "ws")}://{request.Host.ToUriComponent()}"
            : "connect-src 'self'";
}
