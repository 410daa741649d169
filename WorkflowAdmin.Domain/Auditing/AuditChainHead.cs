namespace WorkflowAdmin.Domain.Auditing;

/// <summary>
/// The single row that says where the chain ends. Appending updates it under optimistic concurrency, so two
/// writers (in two processes) can never both link an entry to the same predecessor: the loser re-chains and retries.
/// </summary>
public sealed class AuditChainHead
{
    public const int SingletonId = 1;

    private AuditChainHead()
    {
    }

    public int Id { get; private set; }

    public long LastSequence { get; private set; }

    public string LastHash { get; private set; } = "";

    public Guid ConcurrencyStamp { get; private set; }

    internal static AuditChainHead Genesis() => new()
    {
        Id = SingletonId,
        LastSequence = 0,
        LastHash = AuditChain.GenesisHash,
        ConcurrencyStamp = Guid.NewGuid(),
    };

    internal void Advance(AuditEntry entry)
    {
        if (entry.Sequence != LastSequence + 1 || entry.PreviousHash != LastHash)
        {
            throw new InvalidOperationException("An audit entry must link to the current end of the chain.");
        }

        LastSequence = entry.Sequence;
        LastHash = entry.Hash;
        ConcurrencyStamp = Guid.NewGuid();
    }
}
