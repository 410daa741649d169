using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace WorkflowAdmin.Domain.Background;

/// <summary>
/// Hangfire's log provider for one host. Hangfire keeps its log provider in a process-wide static, so when a
/// process holds more than one host (the test suite; a web and a worker host side by side) and one of them stops,
/// the static can point at that host's disposed logger factory, and the next Hangfire object any other host
/// creates throws while asking for a logger. A stopped host's loggers are not worth that: they go quiet instead.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
