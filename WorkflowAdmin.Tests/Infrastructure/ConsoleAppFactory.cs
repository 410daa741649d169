using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// The real application, in-process on Kestrel on a free loopback port, over a test database. Development
/// environment, so static assets come from the build and the demo users (one per role) are created at start-up.
/// </summary>
public sealed class ConsoleAppFactory : WebApplicationFactory<Program>
{
    private readonly DatabaseFixture database;
    private readonly IReadOnlyDictionary<string, string?> settings;

    /// <param name="settings">Configuration on top of the test defaults (a low rate limit, say).</param>
    public ConsoleAppFactory(DatabaseFixture database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        this.database = database;
        this.settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(0);
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

        // The app seals audit entries itself, as in production, but without making tests wait a second for it.
        builder.UseSetting("AuditSealing:Interval", "00:00:00.050");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
