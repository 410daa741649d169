namespace WorkflowAdmin.Domain.Security;

/// <summary>What an API key may be used for.</summary>
public enum ApiScope
{
    /// <summary>Read executions.</summary>
    Read,

    /// <summary>Start provisioning (and read what it started).</summary>
    Trigger,

    /// <summary>Read personal values unmasked in what the other scopes read (decision 0040); alone it reads nothing.</summary>
    Pii,
}

public static class ApiScopes
{
    public static string Name(ApiScope scope) => scope switch
    {
        ApiScope.Read => "read",
        ApiScope.Trigger => "trigger",
        ApiScope.Pii => "pii",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    /// <summary>Parses "read,trigger" (stored form); unknown names are ignored so an old row never breaks a request.</summary>
    public static IReadOnlyList<ApiScope> Parse(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => Enum.GetValues<ApiScope>().Cast<ApiScope?>().FirstOrDefault(v => Name(v!.Value) == s))
            .OfType<ApiScope>()
            .Distinct()
            .Order()];

    public static string Format(IEnumerable<ApiScope> scopes) => string.Join(",", scopes.Distinct().Order().Select(Name));
}
