using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class PlanRenewalConfiguration : IEntityTypeConfiguration<PlanRenewal>
{
    public void Configure(EntityTypeBuilder<PlanRenewal> builder)
    {
        builder.ToTable("PlanRenewals");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasOne<SubscriptionPlan>().WithMany().HasForeignKey(r => r.PriorPlanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SubscriptionPlan>().WithMany().HasForeignKey(r => r.RenewedPlanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.PriorPlanId, r.RenewedPlanId }).IsUnique();
    }
}
