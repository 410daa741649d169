using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Hosting;

/// <summary>
/// Probes for load balancers and orchestrators, all anonymous. <c>/health</c> is unchanged (the database answers);
/// <c>/health/live</c> says only that the process serves requests (restart it if not); <c>/health/ready</c> says it
/// can do its job: database reachable, every migration applied, and on a node with workers its heartbeat written
/// recently (send it no traffic, or no work, if not).
/// </summary>
internal static class HealthSetup
{
    public const string HealthPath = "/health";
    private const string Ready = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>("database", tags: [Ready])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [Ready])
            .AddCheck<HeartbeatHealthCheck>("heartbeat", tags: [Ready]);
        services.AddSingleton<MigrationsHealthCheck>();
        return services;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { Predicate = check => check.Name == "database" }).AllowAnonymous();
        app.MapHealthChecks($"{HealthPath}/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks($"{HealthPath}/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResponseWriter = WriteReportAsync,
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Each check's verdict and our own one-line reason; never exception text, which the public may read.</summary>
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, cancellationToken: context.RequestAborted);
    }
}
