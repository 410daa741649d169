namespace WorkflowAdmin.Domain.Provisioning.Records;

public sealed class PlanRenewal
{
    private PlanRenewal()
    {
    }

    public Guid Id { get; private set; }

    public Guid PriorPlanId { get; private set; }

    public Guid RenewedPlanId { get; private set; }

    public int Licenses { get; private set; }

    public DateTime EffectiveDate { get; private set; }

    public DateTime RenewedExpirationDate { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static PlanRenewal Create(
        Guid priorPlanId, Guid renewedPlanId, int licenses, DateTime effectiveDate, DateTime renewedExpirationDate, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        PriorPlanId = priorPlanId,
        RenewedPlanId = renewedPlanId,
        Licenses = licenses,
        EffectiveDate = effectiveDate,
        RenewedExpirationDate = renewedExpirationDate,
        CreatedAt = now,
    };
}
