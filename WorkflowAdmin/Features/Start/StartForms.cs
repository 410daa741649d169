namespace WorkflowAdmin.Features.Start;

/// <summary>
/// A workflow's hand-made start form, in place of the generated one: a component that shows the whole form for
/// that workflow and reads <c>?from=</c> itself.
/// </summary>
public sealed record CustomStartForm(string WorkflowKey, Type Component);

/// <summary>Which workflows bring their own start form; every other one gets the generated form.</summary>
public sealed class StartForms(IEnumerable<CustomStartForm> forms)
{
    private readonly Dictionary<string, Type> byKey = forms.ToDictionary(f => f.WorkflowKey, f => f.Component, StringComparer.Ordinal);

    public Type? CustomFor(string workflowKey) => byKey.GetValueOrDefault(workflowKey);

    /// <summary>Where a workflow is started, optionally prefilled from an earlier execution.</summary>
    public static string Href(string workflowKey, Guid? from = null) =>
        $"/executions/new/{Uri.EscapeDataString(workflowKey)}{(from is { } id ? $"?from={id}" : "")}";
}

public static class StartFormsSetup
{
    public static IServiceCollection AddStartForms(this IServiceCollection services)
    {
        // A workflow's own form is registered by its feature (a CustomStartForm), never named here.
        services.AddSingleton<StartForms>();
        return services;
    }
}
