namespace WorkflowAdmin.Domain.Engine;

/// <summary>Engine settings, bound from the "Workflows" section of appsettings.json.</summary>
public sealed class WorkflowEngineOptions
{
    public const string SectionName = "Workflows";

    /// <summary>Pause between two attempts of a step, so a briefly unavailable system gets a moment to recover.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
