namespace WorkflowAdmin.Domain.Engine;

/// <summary>Collects every validation error of an input, each with its JSON path, so all are reported at once.</summary>
public sealed class InputErrors
{
    private readonly List<InputError> errors = [];
    private readonly string prefix;

    public InputErrors()
        : this("", [])
    {
    }

    private InputErrors(string prefix, List<InputError> sink)
    {
        this.prefix = prefix;
        errors = sink;
    }

    public IReadOnlyList<InputError> All => errors;

    public bool Any => errors.Count > 0;

    public void Add(string path, string message) =>
        errors.Add(new InputError(Join(prefix, path), message));

    /// <summary>A view that prefixes every path, for validating a nested object or a step's own input.</summary>
    public InputErrors For(string path) => new(Join(prefix, path), errors);

    public void Required(string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(path, "is required");
        }
    }

    public void MaxLength(string path, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            Add(path, $"must be at most {max} characters");
        }
    }

    private static string Join(string prefix, string path) =>
        prefix.Length == 0 ? path
        : path.Length == 0 ? prefix
        : path.StartsWith('[') ? prefix + path
        : prefix + "." + path;
}

public sealed record InputError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
