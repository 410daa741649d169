using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Domain.Provisioning;

/// <summary>
/// What the trial and the first paid plan steps both report: the plan as the license manager holds it, found or
/// created by this run. Each step's own output adds the line item, which the trial requires and the paid plan may lack.
/// </summary>
public abstract record PlanStepOutput
{
    public Guid PlanId { get; init; }

    public Guid AgreementId { get; init; }

    public string Title { get; init; } = "";

    public DateTime StartDate { get; init; }

    public DateTime ExpirationDate { get; init; }

    public int Licenses { get; init; }

    public int ProductId { get; init; }

    public Guid? CatalogId { get; init; }

    /// <summary>False when the run found the plan an earlier attempt (or another system) had already made.</summary>
    public bool Created { get; init; }

    /// <summary>The one mapping from the port's <see cref="PlanInfo"/> to a plan step's output.</summary>
    internal static TOutput From<TOutput>(PlanInfo plan, bool created)
        where TOutput : PlanStepOutput, new()
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new TOutput
        {
            PlanId = plan.Id,
            AgreementId = plan.AgreementId,
            Title = plan.Title,
            StartDate = plan.StartDate,
            ExpirationDate = plan.ExpirationDate,
            Licenses = plan.Licenses,
            ProductId = plan.ProductId,
            CatalogId = plan.CatalogId,
            Created = created,
        };
    }
}
