using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Data.Configurations;

public sealed class DirectoryUserConfiguration : IEntityTypeConfiguration<DirectoryUser>
{
    public void Configure(EntityTypeBuilder<DirectoryUser> builder)
    {
        builder.ToTable("DirectoryUsers");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.Email).HasMaxLength(DirectoryUser.MaxEmailLength).IsRequired();
        builder.Property(u => u.DisplayName).HasMaxLength(DirectoryUser.MaxDisplayNameLength).IsRequired();
        builder.HasIndex(u => u.Email).IsUnique();
    }
}
