using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Background;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkflowAdmin.Features.Users;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// The real application, in-process on Kestrel on a free loopback port, over a test database. Development
/// environment, so static assets come from the build, and the demo users (one per role) exist once it has started:
/// the app creates them only on SQLite (decision 0012), so on other providers the factory creates them itself.
/// </summary>
public sealed class ConsoleAppFactory : WebApplicationFactory<Program>
{
    private readonly DatabaseFixture database;
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly bool demoUsers;
    private readonly Action<IServiceCollection>? services;

    /// <param name="settings">Configuration on top of the test defaults (a low rate limit, say).</param>
    /// <param name="demoUsers">False to leave users to the app alone (tests of the demo rule itself).</param>
    /// <param name="services">Replaces services after the application's own (no execution workers, say: <see cref="WithoutExecutionWorkers"/>).</param>
    public ConsoleAppFactory(
        DatabaseFixture database,
        IReadOnlyDictionary<string, string?>? settings = null,
        bool demoUsers = true,
        Action<IServiceCollection>? services = null)
    {
        this.database = database;
        this.settings = settings ?? new Dictionary<string, string?>();
        this.demoUsers = demoUsers;
        this.services = services;
        UseKestrel(0);
    }

    /// <summary>
    /// Takes the execution workers out of a host (pass as <c>services</c>), so that its Pending executions stay Pending
    /// until a test runs them: the table is the queue (decision 0019), so a worker would run every Pending row.
    /// </summary>
    public static void WithoutExecutionWorkers(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var workers in services.Where(d => d.ImplementationType == typeof(ExecutionWorkers)).ToList())
        {
            services.Remove(workers);
        }
    }

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", database.Provider.ToString());
        builder.UseSetting("Database:ConnectionString", database.ConnectionString);
        builder.UseSetting("Demo:SeedExecutions", "0");
        builder.UseSetting("Workflows:RetryDelay", "00:00:00");

        // Every test client comes from 127.0.0.1 and signs in or calls the API far more often than a person would;
        // the abuse tests set these limits low again (and use addresses of their own, see ClientAddress).
        builder.UseSetting("SignIn:PerIp:PermitLimit", "100000");
        builder.UseSetting("SignIn:AuditedFailures:PermitLimit", "100000");
        builder.UseSetting("Api:InvalidKeyLimit:PermitLimit", "100000");
        // The app seals audit entries itself, as in production, but without making tests wait a second for it.
        builder.UseSetting("AuditSealing:Interval", "00:00:00.050");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (demoUsers)
        {
            builder.ConfigureServices(services => services.AddHostedService<TestDemoUsers>());
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    /// <summary>Runs after the app's own start-up (migrations, its demo rule) and before the server is handed out.</summary>
    private sealed class TestDemoUsers(IServiceProvider services, ILogger<TestDemoUsers> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => DemoUsers.EnsureCreatedAsync(services, logger);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
