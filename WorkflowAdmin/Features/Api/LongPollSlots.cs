using Microsoft.Extensions.Options;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// The long-polls this node holds open, per key and in all: each costs a connection and a status query a second
/// for up to 30 seconds, so both are capped (<see cref="ApiOptions.LongPollOptions"/>) and a request over either cap
/// is refused with 429 rather than queued.
/// </summary>
internal sealed class LongPollSlots(IOptions<ApiOptions> options)
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, int> perKey = [];
    private int total;

    /// <summary>Waits held open on this node now.</summary>
    public int Held
    {
        get
        {
            lock (gate)
            {
                return total;
            }
        }
    }

    /// <summary>A slot for <paramref name="keyId"/>, released when disposed; null when a cap is reached.</summary>
    public IDisposable? TryEnter(Guid keyId)
    {
        var limits = options.Value.LongPoll;
        lock (gate)
        {
            var held = perKey.GetValueOrDefault(keyId);
            if (total >= limits.MaxPerNode || held >= limits.MaxPerKey)
            {
                return null;
            }

            perKey[keyId] = held + 1;
            total++;
        }

        return new Slot(this, keyId);
    }

    private void Leave(Guid keyId)
    {
        lock (gate)
        {
            total--;
            if (--perKey[keyId] == 0)
            {
                perKey.Remove(keyId);
            }
        }
    }

    private sealed class Slot(LongPollSlots owner, Guid keyId) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Leave(keyId);
            }
        }
    }
}
