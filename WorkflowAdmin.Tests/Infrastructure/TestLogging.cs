using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// One logger factory for every test host in the run. Hangfire keeps its log provider in a static that each host
/// points at its own logger factory when it configures Hangfire; with hosts created and disposed in parallel, that
/// static could otherwise point at a disposed factory, and the next job client built elsewhere would fail.
/// A factory no host owns, and so none disposes, keeps the static usable. Tests read no logs.
/// </summary>
public static class TestLogging
{
    private static readonly ILoggerFactory Shared = LoggerFactory.Create(_ => { });

    /// <summary>Logging for a test host, with the shared factory (registered as an instance, so never disposed by it).</summary>
    public static IServiceCollection AddTestLogging(this IServiceCollection services)
    {
        services.AddLogging();
        services.AddSingleton(Shared);
        return services;
    }
}
