using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkflowAdmin.Domain;
using WorkflowAdmin.Domain.Background;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// The domain's real service graph over a test database, with a fake clock and no retry pause. Tests replace only
/// what stands for an external system (a port), through <paramref name="configure"/>.
/// </summary>
public sealed class TestServices : IAsyncDisposable
{
    private TestServices(ServiceProvider provider, FakeTimeProvider time)
    {
        Provider = provider;
        Time = time;
    }

    public ServiceProvider Provider { get; }

    public FakeTimeProvider Time { get; }

    public static TestServices Create(DatabaseFixture database, Action<IServiceCollection>? configure = null)
    {
        var configuration = TestConfiguration.For(database);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(5) };
        var services = new ServiceCollection();
        services.AddTestLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(time);
        services.AddWorkflowDomain(configuration);

        // Tests run executions through the runner themselves; the few that test the job path put Hangfire back.
        services.AddSingleton<RecordingDispatcher>();
        services.AddSingleton<IExecutionDispatcher>(sp => sp.GetRequiredService<RecordingDispatcher>());
        configure?.Invoke(services);
        return new TestServices(services.BuildServiceProvider(validateScopes: true), time);
    }

    public T GetRequiredService<T>()
        where T : notnull => Provider.GetRequiredService<T>();

    /// <summary>Runs <paramref name="action"/> in a scope of its own, as one web request or one job would.</summary>
    public async Task<TResult> InScopeAsync<TResult>(Func<IServiceProvider, Task<TResult>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = Provider.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
