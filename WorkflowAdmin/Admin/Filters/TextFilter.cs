namespace WorkflowAdmin.Admin.Filters;

/// <summary>A typed value compared with one text field (<see cref="TextMatch"/>), for example "triggered by".</summary>
public sealed class TextFilter(string title, string key, TextMatch match) : AdminFilter(title, [key])
{
    public const int MaxLength = 200;

    public string Key { get; } = key;

    public TextMatch Match { get; } = match;

    public override Type EditorType => typeof(TextFilterEditor);

    public override string? Normalize(string key, string raw) =>
        raw.Trim() is { Length: > 0 and <= MaxLength } value ? value : null;
}
