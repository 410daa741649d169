using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class CustomerAdminConfiguration : IEntityTypeConfiguration<CustomerAdmin>
{
    public void Configure(EntityTypeBuilder<CustomerAdmin> builder)
    {
        builder.ToTable("CustomerAdmins");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Email).HasMaxLength(CustomerAdmin.MaxEmailLength).IsRequired();
        builder.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.CustomerId, a.Email }).IsUnique();
    }
}
