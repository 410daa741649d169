using MudBlazor;

namespace WorkflowAdmin.Admin.Filters;

/// <summary>
/// One choice of a <see cref="ChoiceFilter"/>: the value in the URL, its label, and an optional chip colour.
/// <paramref name="Description"/> says what the option (and its chip's count) selects; <paramref name="Within"/> names
/// the option this one narrows (the executions list's Unresolved within Failed), so its count is part of that one's
/// rather than beside it.
/// </summary>
public sealed record FilterOption(string Value, string Label, Color Color = Color.Default, string? Description = null, string? Within = null);
