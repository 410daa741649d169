using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class PendingInviteConfiguration : IEntityTypeConfiguration<PendingInvite>
{
    public void Configure(EntityTypeBuilder<PendingInvite> builder)
    {
        builder.ToTable("PendingInvites");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Email).HasMaxLength(PendingInvite.MaxEmailLength).IsRequired();
        builder.Property(i => i.Role).HasMaxLength(PendingInvite.MaxRoleLength).IsRequired();
        builder.HasOne<Customer>().WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => new { i.CustomerId, i.Email, i.Role }).IsUnique();
    }
}
