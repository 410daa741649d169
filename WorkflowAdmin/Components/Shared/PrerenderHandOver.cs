using System.Text.Json;
using Microsoft.AspNetCore.Components;

namespace WorkflowAdmin.Components.Shared;

/// <summary>
/// Hands what a prerender read to the circuit that follows (decision 0026), within a size budget. The browser sends
/// the persisted state back over the circuit's hub connection, so state larger than the hub accepts closes the
/// connection and the page never turns interactive; an execution with large step payloads did exactly that. State over
/// the budget is not handed over: the circuit then reads the data again, which costs one query, not the page.
/// </summary>
internal static class PrerenderHandOver
{
    /// <summary>
    /// The largest JSON one component hands over. The state travels data-protected and base64-encoded (about 1.4 times
    /// its size), together with every other component's, inside <see cref="HubMessageLimit"/>.
    /// </summary>
    public const int BudgetBytes = 96 * 1024;

    /// <summary>The hub's largest accepted message (SignalR's default is 32 KB), set in ConsoleSetup.</summary>
    public const int HubMessageLimit = 512 * 1024;

    // The options PersistAsJson itself uses (web defaults), so the measured size is the size sent.
    private static readonly JsonSerializerOptions Options = JsonSerializerOptions.Web;

    /// <summary>Persists <paramref name="value"/> under <paramref name="key"/> when it fits the budget; says whether it did.</summary>
    public static bool TryPersist<T>(PersistentComponentState state, string key, T value)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (JsonSerializer.SerializeToUtf8Bytes(value, Options).Length > BudgetBytes)
        {
            return false;
        }

        state.PersistAsJson(key, value);
        return true;
    }
}
