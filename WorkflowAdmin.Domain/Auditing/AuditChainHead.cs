namespace WorkflowAdmin.Domain.Auditing;

/// <summary>
/// The single row that says where the chain ends and which sealer may extend it. Only <see cref="AuditSealer"/>
/// writes it: the lease (<see cref="SealerId"/> until <see cref="SealerLeaseExpiresAt"/>) names the one node that
/// seals, and every seal also moves the head under an optimistic concurrency stamp, so even two sealers that both
/// believed they held the lease could never both link an entry to the same predecessor.
/// </summary>
public sealed class AuditChainHead
{
    public const int SingletonId = 1;
    public const int MaxSealerIdLength = 200;

    private AuditChainHead()
    {
    }

    public int Id { get; private set; }

    public long LastSequence { get; private set; }

    public string LastHash { get; private set; } = "";

    public Guid ConcurrencyStamp { get; private set; }

    /// <summary>The sealer holding the lease (host, process and instance), or null before the first seal.</summary>
    public string? SealerId { get; private set; }

    public DateTime? SealerLeaseExpiresAt { get; private set; }

    internal static AuditChainHead Genesis() => new()
    {
        Id = SingletonId,
        LastSequence = 0,
        LastHash = AuditChain.GenesisHash,
        ConcurrencyStamp = Guid.NewGuid(),
    };

    internal void Advance(AuditEntry entry)
    {
        if (entry.Sequence != LastSequence + 1 || entry.PreviousHash != LastHash || entry.Hash is null)
        {
            throw new InvalidOperationException("An audit entry must link to the current end of the chain.");
        }

        LastSequence = entry.Sequence.Value;
        LastHash = entry.Hash;
        ConcurrencyStamp = Guid.NewGuid();
    }
}
