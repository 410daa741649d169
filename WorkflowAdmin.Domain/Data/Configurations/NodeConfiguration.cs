using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Operations;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class NodeConfiguration : IEntityTypeConfiguration<Node>
{
    public void Configure(EntityTypeBuilder<Node> builder)
    {
        builder.ToTable("Nodes");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Name).HasMaxLength(Node.MaxNameLength).IsRequired();
        builder.Property(n => n.Role).HasConversion<string>().HasMaxLength(20);
        builder.Property(n => n.Version).HasMaxLength(Node.MaxVersionLength).IsRequired();

        // A handful of rows: no index beyond the key.
    }
}
