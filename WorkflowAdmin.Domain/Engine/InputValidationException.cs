namespace WorkflowAdmin.Domain.Engine;

/// <summary>An input broke one or more rules. Nothing was written.</summary>
public sealed class InputValidationException(IReadOnlyList<InputError> errors)
    : Exception("The input is invalid: " + string.Join("; ", errors))
{
    public IReadOnlyList<InputError> Errors { get; } = errors;

    public static InputValidationException At(string path, string message) => new([new InputError(path, message)]);
}
