using Microsoft.Extensions.Configuration;

namespace WorkflowAdmin.Tests.Infrastructure;

public static class TestConfiguration
{
    /// <summary>The settings every test host uses: the fixture's database and no pause between step attempts or database retries.</summary>
    public static IConfiguration For(DatabaseFixture database) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = database.Provider.ToString(),
                ["Database:ConnectionString"] = database.ConnectionString,
                ["Workflows:RetryDelay"] = "00:00:00",
                ["Workflows:TransientRetryDelay"] = "00:00:00",
            })
            .Build();
}
