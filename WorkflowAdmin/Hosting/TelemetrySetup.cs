using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WorkflowAdmin.Domain.Operations;

namespace WorkflowAdmin.Hosting;

/// <summary>
/// OpenTelemetry: the workflow's own meters and spans (<see cref="WorkflowTelemetry"/>) with ASP.NET Core, HttpClient,
/// EF Core and runtime instrumentation; metrics scraped at <c>/metrics</c> in the Prometheus format and everything
/// (metrics, traces, logs with their scopes) exported over OTLP when a collector is configured (decision 0021).
/// </summary>
internal static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    private const string BlazorComponents = "Microsoft.AspNetCore.Components";
    private const string BlazorCircuits = "Microsoft.AspNetCore.Components.Server.Circuits";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptions.Validator>();

        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var prometheus = ServesPrometheus(options, builder.Environment);
        var otlpEndpoint = options.Otlp.Endpoint is { Length: > 0 } configured ? configured : null;
        var otlp = otlpEndpoint is not null || !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!prometheus && !otlp)
        {
            return builder;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(WorkflowTelemetry.Name, serviceVersion: CurrentNode.BuildVersion))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WorkflowTelemetry.Name, BlazorCircuits)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        // Spans only where a collector receives them: nobody reads them otherwise.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(WorkflowTelemetry.Name)

                // A console action (a trigger, a re-run) runs in a circuit's event handler, not in an HTTP request:
                // Blazor's own span for it is what the execution's run links back to.
                .AddSource(BlazorComponents)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation());

            // Log lines carry their scopes (execution id, step key) and the trace they belong to.
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeScopes = true;
                logging.IncludeFormattedMessage = true;
            });
            if (otlpEndpoint is not null)
            {
                telemetry.UseOtlpExporter(options.Otlp.Protocol, new Uri(otlpEndpoint));
            }
            else
            {
                telemetry.UseOtlpExporter();
            }
        }

        // The queue gauges exist once their owner does.
        services.AddHostedService<GaugesActivation>();
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c>, when switched on: anonymous (Prometheus does not sign in) but answered only to the networks in
    /// <see cref="TelemetryOptions.PrometheusSettings.AllowedNetworks"/>; anyone else gets 404, as if it did not exist.
    /// </summary>
    public static WebApplication MapTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!ServesPrometheus(options, app.Environment))
        {
            return app;
        }

        var networks = options.Prometheus.EffectiveNetworks.ToArray();
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use((context, next) =>
        {
            var address = context.Connection.RemoteIpAddress;
            if (address is { IsIPv4MappedToIPv6: true })
            {
                address = address.MapToIPv4();
            }

            if (address is null || !networks.Any(n => n.Contains(address)))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        }), optionsName: null).AllowAnonymous();
        return app;
    }

    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments(HealthSetup.HealthPath);

    private static bool ServesPrometheus(TelemetryOptions options, IHostEnvironment environment) =>
        options.Prometheus.Enabled ?? environment.IsDevelopment();

    private sealed class GaugesActivation(QueueGauges gauges) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(gauges);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
