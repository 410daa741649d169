namespace WorkflowAdmin.Domain.Provisioning.Ports;

/// <summary>What a get-or-create returns: the record, and whether this call created it.</summary>
public sealed record Obtained<T>(T Value, bool Created);
