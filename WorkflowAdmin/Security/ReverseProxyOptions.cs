using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace WorkflowAdmin.Security;

/// <summary>
/// The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed, bound from the
/// "ReverseProxy" section. Empty (the default) believes nobody: the address the audit trail records is the
/// connection's own.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string SectionName = "ReverseProxy";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>
    /// Trusts exactly the configured proxies. ASP.NET Core's defaults trust loopback, and an empty list there means
    /// "trust everyone", so both lists are replaced rather than added to (and the middleware is not used at all
    /// when nothing is configured).
    /// </summary>
    public void ApplyTo(ForwardedHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        // Walk back through X-Forwarded-For only while the hop that added an entry is itself a known proxy: with
        // two proxies in a row (a load balancer, then nginx) the client is still found, and an entry a client
        // wrote itself is never reached, because the first untrusted hop stops the walk.
        options.ForwardLimit = null;
    }

    /// <summary>Refuses to start with an entry that is not an address or a network, naming it.</summary>
    public sealed class Validator : IValidateOptions<ReverseProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            var errors = options.KnownProxies
                .Where(p => !IPAddress.TryParse(p, out _))
                .Select(p => $"{SectionName}:KnownProxies: '{p}' is not an IP address.")
                .Concat(options.KnownNetworks
                    .Where(n => !System.Net.IPNetwork.TryParse(n, out _))
                    .Select(n => $"{SectionName}:KnownNetworks: '{n}' is not a network in CIDR notation (e.g. 10.0.0.0/24)."))
                .ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
