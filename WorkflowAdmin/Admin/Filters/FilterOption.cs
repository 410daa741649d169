using MudBlazor;

namespace WorkflowAdmin.Admin.Filters;

/// <summary>One choice of a <see cref="ChoiceFilter"/>: the value in the URL, its label, and an optional chip colour.</summary>
public sealed record FilterOption(string Value, string Label, Color Color = Color.Default);
