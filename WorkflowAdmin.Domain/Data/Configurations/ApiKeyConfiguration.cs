using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Name).HasMaxLength(ApiKey.MaxNameLength).IsRequired();
        builder.Property(k => k.Prefix).HasMaxLength(ApiKey.PrefixLength).IsRequired();
        builder.Property(k => k.SecretHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(k => k.Scopes).HasMaxLength(100).IsRequired();
        builder.Property(k => k.CreatedBy).HasMaxLength(WorkflowExecution.MaxActorLength).IsRequired();
        builder.Property(k => k.RevokedBy).HasMaxLength(WorkflowExecution.MaxActorLength);
        builder.Ignore(k => k.IsActive);
        builder.Ignore(k => k.ScopeList);

        // A name is what the console and the execution list show; two keys with one name could not be told apart.
        builder.HasIndex(k => k.Name).IsUnique();
        builder.HasIndex(k => k.Prefix).IsUnique();
    }
}
