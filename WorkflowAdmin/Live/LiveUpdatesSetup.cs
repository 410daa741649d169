namespace WorkflowAdmin.Live;

public static class LiveUpdatesSetup
{
    /// <summary>The change feed that keeps open execution pages current (one per host, shared by every circuit).</summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services)
    {
        services.AddOptions<LiveUpdatesOptions>()
            .BindConfiguration(LiveUpdatesOptions.SectionName)
            .Validate(o => o.Interval > TimeSpan.Zero && o.Overlap >= o.Interval && o.MaxChangesPerPoll > 0,
                $"{LiveUpdatesOptions.SectionName}: Interval must be positive, Overlap at least Interval (or changes fall between two polls), MaxChangesPerPoll at least 1.");
        services.AddSingleton<ExecutionChangeFeed>();
        return services;
    }
}
