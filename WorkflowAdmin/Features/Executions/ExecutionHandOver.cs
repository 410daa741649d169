using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// An execution's page as its prerender read it, handed to the circuit through the persisted component state so the
/// circuit shows it without reading it again (decision 0026): the execution with its steps and attempts, its lineage,
/// and when it was read.
/// </summary>
/// <remarks>
/// The entities keep their setters private (state changes go through their methods), so they travel as JSON written
/// and read here with a resolver that may set them: this copy is only ever displayed, never saved.
/// </remarks>
internal sealed record ExecutionHandOver(Guid Id, string ExecutionJson, ExecutionLineage Lineage, DateTime ReadAt)
{
    public const string Key = "execution-detail";

    private static readonly Type[] Entities = [typeof(WorkflowExecution), typeof(StepExecution), typeof(StepAttempt)];

    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AllowPrivateSetters } },
    };

    public static ExecutionHandOver Create(WorkflowExecution execution, ExecutionLineage lineage, DateTime readAt)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return new(execution.Id, JsonSerializer.Serialize(execution, Options), lineage, readAt);
    }

    public WorkflowExecution? ReadExecution() => JsonSerializer.Deserialize<WorkflowExecution>(ExecutionJson, Options);

    // Entities are built through their private constructors (which set up their collections), their properties set
    // through their private setters, and Steps and Attempts through the lists behind them.
    private static void AllowPrivateSetters(JsonTypeInfo typeInfo)
    {
        if (!Entities.Contains(typeInfo.Type))
        {
            return;
        }

        var type = typeInfo.Type;
        typeInfo.CreateObject = () => Activator.CreateInstance(type, nonPublic: true)!;
        foreach (var property in typeInfo.Properties)
        {
            if (property.Set is not null || type.GetProperty(property.Name, BindingFlags.Instance | BindingFlags.Public) is not { } info)
            {
                continue;
            }

            if (info.SetMethod is { } setter)
            {
                property.Set = (target, value) => setter.Invoke(target, [value]);
            }
            else if (type.GetField(char.ToLowerInvariant(info.Name[0]) + info.Name[1..], BindingFlags.Instance | BindingFlags.NonPublic) is { } field
                && field.FieldType.IsAssignableTo(info.PropertyType))
            {
                // Steps and Attempts read a private list of the same name; deserialized as that list's type.
                property.Set = (target, value) => field.SetValue(target, value is null ? null : Activator.CreateInstance(field.FieldType, value));
            }
        }
    }
}
