using System.Net;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace WorkflowAdmin.Hosting;

/// <summary>Where metrics and traces go, bound from the "Telemetry" section of appsettings.json (decision 0021).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    public PrometheusSettings Prometheus { get; set; } = new();

    public OtlpSettings Otlp { get; set; } = new();

    public sealed class PrometheusSettings
    {
        /// <summary>Serve <c>/metrics</c>; unset means on in Development only.</summary>
        public bool? Enabled { get; set; }

        /// <summary>
        /// Client addresses (CIDR) that may scrape <c>/metrics</c>; everybody else gets 404. The address is the one the
        /// app believes: behind a known proxy (ReverseProxy settings) the original client's, so the public cannot reach
        /// it through the proxy. Empty means loopback only: list the monitoring network. (Empty rather than a default
        /// list, because configuration binds array items by index into an existing list instead of replacing it.)
        /// </summary>
        public string[] AllowedNetworks { get; set; } = [];

        public IEnumerable<IPNetwork> EffectiveNetworks =>
            AllowedNetworks.Length > 0 ? AllowedNetworks.Select(n => IPNetwork.Parse(n)) : [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];
    }

    public sealed class OtlpSettings
    {
        /// <summary>
        /// The collector's base address (<c>http://collector:4317</c>). Empty means the standard
        /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable decides, and without it nothing is exported.
        /// </summary>
        public string? Endpoint { get; set; }

        /// <summary><c>Grpc</c> (port 4317) or <c>HttpProtobuf</c> (port 4318).</summary>
        public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.Grpc;
    }

    internal sealed class Validator : IValidateOptions<TelemetryOptions>
    {
        public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            var errors = options.Prometheus.AllowedNetworks
                .Where(n => !IPNetwork.TryParse(n, out _))
                .Select(n => $"Telemetry:Prometheus:AllowedNetworks: '{n}' is not a network in CIDR notation (e.g. 10.0.0.0/24).")
                .ToList();
            if (!string.IsNullOrWhiteSpace(options.Otlp.Endpoint) && !Uri.TryCreate(options.Otlp.Endpoint, UriKind.Absolute, out _))
            {
                errors.Add($"Telemetry:Otlp:Endpoint: '{options.Otlp.Endpoint}' is not an absolute URL (e.g. http://collector:4317).");
            }

            return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
        }
    }
}
