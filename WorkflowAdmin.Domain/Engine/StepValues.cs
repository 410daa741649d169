namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// Typed per-step values (inputs or outputs) keyed by step key, in step order. Each step has its own input and
/// output record types, so looking a value up by its type is unambiguous and needs no string keys in step code.
/// </summary>
public sealed class StepValues
{
    private readonly List<KeyValuePair<string, object?>> values = [];

    public IReadOnlyList<KeyValuePair<string, object?>> Entries => values;

    public void Add(string stepKey, object? value)
    {
        if (values.Any(v => v.Key == stepKey))
        {
            throw new InvalidOperationException($"A value for step '{stepKey}' is already present.");
        }

        values.Add(new(stepKey, value));
    }

    public object? this[string stepKey] => values.Single(v => v.Key == stepKey).Value;

    public T? Find<T>()
        where T : class => values.Select(v => v.Value).OfType<T>().SingleOrDefault();
}
