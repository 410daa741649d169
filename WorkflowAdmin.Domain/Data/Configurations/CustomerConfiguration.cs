using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("Customers");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(Customer.MaxNameLength).IsRequired();
        builder.Property(c => c.Slug).HasMaxLength(Customer.MaxSlugLength).IsRequired();
        builder.Property(c => c.Country).HasMaxLength(Customer.CountryLength).IsRequired();
        builder.Property(c => c.EnabledFeatures).HasMaxLength(Customer.MaxEnabledFeaturesLength).IsRequired();
        builder.Property(c => c.OwnerKind).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.OwnerId).HasMaxLength(Customer.MaxOwnerIdLength);
        builder.Property(c => c.OwnerName).HasMaxLength(Customer.MaxOwnerNameLength);
        builder.Ignore(c => c.Owner);
        builder.Ignore(c => c.EnabledFeatureList);
        builder.HasIndex(c => c.Slug).IsUnique();
    }
}
