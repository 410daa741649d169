namespace WorkflowAdmin.Domain.Provisioning.Ports;

// Raised by an adapter when the system behind a port refuses a request, so that the recorded error names which
// system said no, not just the HTTP or database error underneath.
public sealed class ExternalSystemException(string systemName, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string SystemName { get; } = systemName;
}
