using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Features.Provisioning.Start;

internal enum PrefillOutcome
{
    Prefilled,
    NotFound,
    OtherWorkflow,
}

/// <summary>Where a "start like this one" form came from, and what of it could not be taken over.</summary>
internal sealed record PrefillSource(
    Guid ExecutionId, PrefillOutcome Outcome, string? WorkflowKey, string? BusinessKey, DateTime? CreatedAt, IReadOnlyList<string> UnreadableSteps);

/// <summary>"Start like this one": fills the form from an earlier execution's input.</summary>
internal static class ProvisioningPrefill
{
    public static async Task<PrefillSource> LoadAsync(
        AppDbContext db, WorkflowDefinition definition, ProvisioningForm form, Guid executionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(definition);
        var source = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Id == executionId)
            .Select(e => new { e.DefinitionKey, e.InputJson, e.BusinessKey, e.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (source is null)
        {
            return new PrefillSource(executionId, PrefillOutcome.NotFound, null, null, null, []);
        }

        if (source.DefinitionKey != definition.Key)
        {
            return new PrefillSource(executionId, PrefillOutcome.OtherWorkflow, source.DefinitionKey, source.BusinessKey, source.CreatedAt, []);
        }

        var unreadable = Fill(form, definition, source.InputJson);
        return new PrefillSource(executionId, PrefillOutcome.Prefilled, source.DefinitionKey, source.BusinessKey, source.CreatedAt, unreadable);
    }

    /// <summary>
    /// Fills a fresh form's sections from the steps' stored inputs, one step at a time: an input stored under older rules still
    /// fills every section it can, and the steps it could not are named. Returns their display names.
    /// </summary>
    public static IReadOnlyList<string> Fill(ProvisioningForm form, WorkflowDefinition definition, string inputJson)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(definition);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(inputJson) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [.. definition.Steps.Select(s => s.DisplayName)];
        }

        var unreadable = new List<string>();
        foreach (var step in definition.Steps)
        {
            // A step left out (no subsidy) stays as the fresh form has it.
            if (root[step.Key] is not JsonObject node)
            {
                continue;
            }

            try
            {
                form.Fill(PayloadSerializer.Deserialize(node.ToJsonString(), step.InputType)!);
            }
            catch (JsonException)
            {
                unreadable.Add(step.DisplayName);
            }
        }

        return unreadable;
    }
}
