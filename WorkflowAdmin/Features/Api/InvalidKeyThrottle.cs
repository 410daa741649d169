using Microsoft.Extensions.Options;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// Requests without a valid API key, counted per client address (<see cref="ApiOptions.InvalidKeyLimit"/>). The
/// authentication handler asks it before looking a key up, so once an address has spent its budget its requests are
/// refused (429) without touching the database, whatever key they carry, until the window ends.
/// </summary>
internal sealed class InvalidKeyThrottle(IOptions<ApiOptions> options, TimeProvider time)
{
    public AttemptWindows Windows { get; } = new(options.Value.InvalidKeyLimit.PermitLimit, options.Value.InvalidKeyLimit.Window, time);

    public static string AddressOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
