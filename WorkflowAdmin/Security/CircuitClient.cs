namespace WorkflowAdmin.Security;

/// <summary>
/// Facts about the browser behind a circuit, captured from the HTTP request that opened it (App.razor passes them
/// to the root component): once the circuit runs over its WebSocket there is no HttpContext to ask.
/// </summary>
public sealed class CircuitClient
{
    public string? ClientIp { get; set; }
}
