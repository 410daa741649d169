using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Views;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> builder)
    {
        builder.ToTable("SavedViews");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.List).HasMaxLength(SavedView.MaxListLength).IsRequired();
        builder.Property(v => v.Name).HasMaxLength(SavedView.MaxNameLength).IsRequired();
        builder.Property(v => v.Query).HasMaxLength(SavedView.MaxQueryLength).IsRequired();
        builder.Property(v => v.OwnerId).HasMaxLength(WorkflowExecution.MaxActorIdLength).IsRequired();
        builder.Property(v => v.OwnerName).HasMaxLength(Actor.MaxNameLength).IsRequired();
        builder.Property(v => v.SharedWithRole).HasMaxLength(SavedView.MaxRoleLength);
        builder.Property(v => v.DefaultForRole).HasMaxLength(SavedView.MaxRoleLength);
        builder.Ignore(v => v.IsShared);
        builder.Ignore(v => v.IsRoleDefault);

        // A list's menu reads the owner's views and the shared ones; one owner never has two views of one name on a list.
        builder.HasIndex(v => new { v.List, v.OwnerId, v.Name }).IsUnique();
        builder.HasIndex(v => new { v.List, v.SharedWithRole }).HasFilter("\"SharedWithRole\" IS NOT NULL");

        // One default per role and list, even when two Admins set one at the same moment. The filter matters on SQL
        // Server, whose unique indexes otherwise count NULLs as equal.
        builder.HasIndex(v => new { v.List, v.DefaultForRole }).IsUnique().HasFilter("\"DefaultForRole\" IS NOT NULL");
    }
}
