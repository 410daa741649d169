namespace WorkflowAdmin.Domain.Auditing;

/// <summary>How entries are sealed into the chain, bound from the "AuditSealing" section.</summary>
public sealed class AuditSealingOptions
{
    public const string SectionName = "AuditSealing";

    /// <summary>Whether this node runs a sealer. Every node may: the lease picks one per database.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the sealer looks for unsealed entries: the usual delay between commit and seal.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a sealer's lease lasts without renewal: how long a dead leader delays sealing.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Entries sealed per transaction.</summary>
    public int BatchSize { get; set; } = 1000;
}
