namespace WorkflowAdmin.Domain.Engine;

/// <summary>Every workflow definition the application knows, by key. Built once from DI registrations.</summary>
public sealed class WorkflowRegistry
{
    private readonly Dictionary<string, WorkflowDefinition> byKey;

    public WorkflowRegistry(IEnumerable<WorkflowDefinition> definitions)
    {
        byKey = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!byKey.TryAdd(definition.Key, definition))
            {
                throw new InvalidOperationException($"Two workflow definitions use the key '{definition.Key}'.");
            }

            _ = definition.Steps; // fail at start-up, not at the first run, if a definition is malformed
        }
    }

    public IReadOnlyCollection<WorkflowDefinition> All => byKey.Values;

    public WorkflowDefinition Get(string key) =>
        byKey.TryGetValue(key, out var definition) ? definition : throw new UnknownWorkflowException(key, byKey.Keys);

    public bool TryGet(string key, out WorkflowDefinition? definition) => byKey.TryGetValue(key, out definition);
}

public sealed class UnknownWorkflowException(string key, IEnumerable<string> known)
    : Exception($"There is no workflow '{key}'. Known workflows: {string.Join(", ", known.Order())}.")
{
    public string Key { get; } = key;
}
