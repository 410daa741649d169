using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class SubscriptionPlanConfiguration : IEntityTypeConfiguration<SubscriptionPlan>
{
    public void Configure(EntityTypeBuilder<SubscriptionPlan> builder)
    {
        builder.ToTable("SubscriptionPlans");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Title).HasMaxLength(SubscriptionPlan.MaxTitleLength).IsRequired();
        builder.Property(p => p.SalesforceLineItem).HasMaxLength(SubscriptionPlan.MaxSalesforceLineItemLength);
        builder.HasOne<CustomerAgreement>().WithMany().HasForeignKey(p => p.AgreementId).OnDelete(DeleteBehavior.Restrict);

        // A plan exists once per natural key, the key its step's get-or-create looks it up by: the Salesforce line
        // item when there is one (NULLs never collide), else agreement, product, start date and title. The database
        // keeps it so when two runners reach the step at once (a runner presumed dead that wakes up, two executions
        // for one customer): the second insert fails, and its next attempt finds the first one's plan (0016).
        builder.HasIndex(p => new { p.AgreementId, p.SalesforceLineItem }).IsUnique();
        builder.HasIndex(p => new { p.AgreementId, p.ProductId, p.StartDate, p.Title })
            .IsUnique()
            .HasFilter("\"SalesforceLineItem\" IS NULL")
            .HasDatabaseName("IX_SubscriptionPlans_NaturalKey_WithoutLineItem");
    }
}
