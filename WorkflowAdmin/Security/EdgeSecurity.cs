using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Hosting;

namespace WorkflowAdmin.Security;

/// <summary>
/// Running behind a reverse proxy, over HTTPS: the client's real address and scheme from known proxies only,
/// cookies that never travel over plain HTTP outside Development, HTTPS enforcement when configured, and the
/// security headers on every response (decision 0013).
/// </summary>
internal static class EdgeSecurity
{
    public static WebApplicationBuilder AddEdgeSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // Forwarded headers: believed from the configured proxies only.
        services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ReverseProxyOptions.Validator>();
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ReverseProxyOptions>>((options, proxies) => proxies.Value.ApplyTo(options));

        // HTTPS: redirect and HSTS only when switched on.
        services.AddOptions<HttpsOptions>().BindConfiguration(HttpsOptions.SectionName)
            .Validate(o => o.Port is > 0 and <= 65535 && o.HstsMaxAge > TimeSpan.Zero, "Https:Port must be a TCP port and Https:HstsMaxAge positive.")
            .ValidateOnStart();
        services.AddOptions<HttpsRedirectionOptions>()
            .Configure<IOptions<HttpsOptions>>((options, https) => options.HttpsPort = https.Value.Port);
        services.AddOptions<HstsOptions>()
            .Configure<IOptions<HttpsOptions>>((options, https) => options.MaxAge = https.Value.HstsMaxAge);

        // Cookies: Secure outside Development (where the default listens on plain http://127.0.0.1), HttpOnly always.
        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        services.PostConfigureAll<CookieAuthenticationOptions>(options =>
        {
            options.Cookie.SecurePolicy = secure;
            options.Cookie.HttpOnly = true;
        });

        // Lax, not Strict: a link to an execution pasted into a ticket or a chat must open signed in. Cross-site
        // posts still go without the cookie, and every form carries an antiforgery token besides.
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme,
            options => options.Cookie.SameSite = SameSiteMode.Lax);

        // The antiforgery cookie follows the request (Secure over HTTPS, including HTTPS a known proxy terminated):
        // with Always, antiforgery refuses to render any form over plain HTTP. It is worthless without the auth
        // cookie, which is Secure regardless.
        services.PostConfigure<AntiforgeryOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // No "Server: Kestrel" banner.
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);

        services.AddTransient<IStartupFilter, EdgeStartupFilter>();
        return builder;
    }

    /// <summary>
    /// First in the pipeline, as a startup filter: WebApplication puts authentication and authorisation ahead of
    /// anything Program.cs adds, and both must already see the client's address (an API key's use is audited) and
    /// must not answer a 401 or a 403 without the headers.
    /// </summary>
    private sealed class EdgeStartupFilter(IOptions<ReverseProxyOptions> proxies, IOptions<HttpsOptions> https) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Not at all when no proxy is configured: with empty lists the middleware would believe anyone.
            if (proxies.Value.TrustsAnyProxy)
            {
                app.UseForwardedHeaders();
            }

            app.UseSecurityHeaders();

            if (https.Value.Enforce)
            {
                app.UseHsts();

                // Load balancers probe nodes, and Prometheus scrapes them, over plain HTTP on the private network; a
                // redirect would read as a dead node.
                app.UseWhen(context => !TelemetrySetup.IsProbe(context.Request.Path), branch => branch.UseHttpsRedirection());
            }

            next(app);
        };
    }
}
