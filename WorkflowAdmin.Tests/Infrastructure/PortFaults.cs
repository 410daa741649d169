using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// Makes an external system (a port) fail on chosen calls, the way a real one fails: the adapter underneath stays the
/// real one, so every other call still does its real work.
/// </summary>
public sealed class PortFaults
{
    private readonly ConcurrentDictionary<string, (int Remaining, Func<Exception> Error)> faults = new();

    public void Fail<TPort>(string methodName, int times, Func<Exception> error) =>
        faults[typeof(TPort).Name + "." + methodName] = (times, error);

    internal Exception? Next(Type port, string methodName)
    {
        var key = port.Name + "." + methodName;
        while (faults.TryGetValue(key, out var fault) && fault.Remaining > 0)
        {
            if (faults.TryUpdate(key, (fault.Remaining - 1, fault.Error), fault))
            {
                return fault.Error();
            }
        }

        return null;
    }
}

public static class PortFaultsServiceCollectionExtensions
{
    /// <summary>Wraps the registered adapter of <typeparamref name="TPort"/> so <see cref="PortFaults"/> can break it.</summary>
    public static IServiceCollection AddFaultsTo<TPort, TAdapter>(this IServiceCollection services)
        where TPort : class
        where TAdapter : class, TPort
    {
        services.AddScoped<TPort>(sp => FaultInjectingProxy<TPort>.Wrap(
            ActivatorUtilities.CreateInstance<TAdapter>(sp), sp.GetRequiredService<PortFaults>()));
        return services;
    }
}

#pragma warning disable CA1852 // DispatchProxy.Create needs a non-sealed proxy type to derive from.
public class FaultInjectingProxy<TPort> : DispatchProxy
#pragma warning restore CA1852
    where TPort : class
{
    private TPort inner = null!;
    private PortFaults faults = null!;

    public static TPort Wrap(TPort inner, PortFaults faults)
    {
        var proxy = Create<TPort, FaultInjectingProxy<TPort>>();
        var self = (FaultInjectingProxy<TPort>)(object)proxy;
        self.inner = inner;
        self.faults = faults;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var error = faults.Next(typeof(TPort), targetMethod.Name);
        if (error is not null)
        {
            throw error;
        }

        try
        {
            return targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }
}
