using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkflowAdmin.Domain.Data.Configurations;

/// <summary>
/// The key ring the web nodes share. Data Protection writes and reads these rows itself (one XML element per key);
/// nothing else in the application touches them.
/// </summary>
public sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("DataProtectionKeys");
        builder.HasKey(k => k.Id);

        // "key-" followed by the key's GUID.
        builder.Property(k => k.FriendlyName).HasMaxLength(100);

        // The key's XML (algorithms, dates and the key material): an opaque document, like a payload.
        builder.Property(k => k.Xml);
    }
}
