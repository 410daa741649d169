namespace WorkflowAdmin.Domain.Background;

/// <summary>What one running copy of the program does. Several nodes share one database and one job queue.</summary>
public enum NodeRole
{
    /// <summary>Serves the console and the API and runs workflows (the default, and the only choice on SQLite).</summary>
    All,

    /// <summary>Serves the console and the API; workflows are queued for worker nodes.</summary>
    Web,

    /// <summary>Runs queued workflows and recovery; serves only /health.</summary>
    Worker,
}
