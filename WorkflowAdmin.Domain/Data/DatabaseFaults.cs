using System.Data.Common;
using System.Net.Sockets;

namespace WorkflowAdmin.Domain.Data;

/// <summary>
/// Tells a database that is briefly unavailable (a dropped or killed connection, a timeout, a deadlock, a failover)
/// from a database that refused what was asked of it. The first says nothing about the work being done and is worth
/// trying again; the second does not go away by itself (decision 0016).
/// </summary>
public static class DatabaseFaults
{
    // SQLSTATE classes and codes that describe the server or the connection, never the statement: connection
    // exceptions (08), serialization failures and deadlocks (40001, 40P01), lack of resources (53), the server
    // shutting down or terminating the session (57P01 to 57P05, what pg_terminate_backend sends) and a cancelled
    // statement (57014, a statement timeout).
    private static readonly string[] TransientSqlStatePrefixes = ["08", "40001", "40P01", "53", "57P0", "57014"];

    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var database = false;
        var connection = false;
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case DbException { IsTransient: true }:
                    return true;
                case DbException { SqlState: { } state } when TransientSqlStatePrefixes.Any(p => state.StartsWith(p, StringComparison.Ordinal)):
                    return true;
                case DbException:
                    database = true;
                    break;
                case IOException or SocketException or TimeoutException:
                    connection = true;
                    break;
            }
        }

        // A provider that wraps a broken socket or a timeout in its own exception without calling it transient.
        return database && connection;
    }
}
