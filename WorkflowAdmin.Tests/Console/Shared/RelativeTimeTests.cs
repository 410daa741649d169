using Bunit;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Shared;

/// <summary>Times as "3 min ago" with the exact time on hover (issue 11, point 9).</summary>
public sealed class RelativeTimeTests(SqliteDatabaseFixture database) : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private readonly ConsoleTestContext context = new(database);

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(42, "42 s ago")]
    [InlineData(59.9, "59 s ago")]
    [InlineData(60, "1 min ago")]
    [InlineData(3 * 60 + 59, "3 min ago")]
    [InlineData(5 * 3600 + 10, "5 h ago")]
    [InlineData(3 * 86400 + 7200, "3 d ago")]
    [InlineData(-90, "in 1 min")]
    [InlineData(45 * 86400, "2026-01-16")]
    public void Says_how_long_ago_in_the_largest_whole_unit(double secondsAgo, string expected) =>
        Assert.Equal(expected, RelativeTimeText.Describe(Now.AddSeconds(-secondsAgo), Now));

    [Fact]
    public void Renders_a_time_element_with_the_exact_utc_time_as_its_title_until_the_browser_localises_it()
    {
        var occurred = context.Time.GetUtcNow().UtcDateTime.AddMinutes(-3).AddMilliseconds(-250);

        var time = context.Render<RelativeTime>(p => p.Add(t => t.Value, occurred)).Find("time");

        Assert.Equal("3 min ago", time.TextContent);
        Assert.Equal("2026-03-02T08:56:59.750Z", time.GetAttribute("datetime"));
        Assert.Equal("2026-03-02 08:56:59 UTC", time.GetAttribute("title"));
        Assert.True(time.HasAttribute("data-local-time"));
        Assert.Contains("nowrap", time.ClassList);
    }
}
