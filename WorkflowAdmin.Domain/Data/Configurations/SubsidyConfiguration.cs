using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class SubsidyConfiguration : IEntityTypeConfiguration<Subsidy>
{
    public void Configure(EntityTypeBuilder<Subsidy> builder)
    {
        builder.ToTable("Subsidies");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Title).HasMaxLength(Subsidy.MaxTitleLength).IsRequired();
        builder.Property(s => s.Currency).HasMaxLength(Subsidy.CurrencyLength).IsRequired();
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.CustomerId, s.Title }).IsUnique();
    }
}
