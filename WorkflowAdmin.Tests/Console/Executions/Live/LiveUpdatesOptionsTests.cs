using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Live;

namespace WorkflowAdmin.Tests.Console.Executions.Live;

public sealed class LiveUpdatesOptionsTests
{
    [Fact]
    public void The_defaults_poll_every_second_and_read_three_seconds_back()
    {
        var options = Resolve([]);

        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), 1000), (options.Interval, options.Overlap, options.MaxChangesPerPoll));
    }

    [Fact]
    public void An_overlap_shorter_than_the_interval_is_refused_because_changes_would_fall_between_two_polls()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["LiveUpdates:Interval"] = "00:00:05", ["LiveUpdates:Overlap"] = "00:00:02" }));

        Assert.Contains("Overlap at least Interval", ex.Message, StringComparison.Ordinal);
    }

    private static LiveUpdatesOptions Resolve(Dictionary<string, string?> settings)
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLiveUpdates()
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<LiveUpdatesOptions>>().Value;
    }
}
