using System.Net;
using System.Net.Sockets;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// Clients that connect from an address of their own in 127.0.0.0/8 (every address there is this machine), so tests
/// of per-address limits can run side by side against one app without spending each other's budgets.
/// </summary>
public static class ClientAddress
{
    private static int next = 10;

    /// <summary>A loopback address no other test of this run has used (127.0.0.10 onwards).</summary>
    public static IPAddress Next()
    {
        var n = Interlocked.Increment(ref next);
        return new IPAddress([127, (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
    }

    /// <summary>A client of <paramref name="baseAddress"/> whose connections come from <paramref name="source"/>; cookies kept, redirects not followed.</summary>
    public static HttpClient Client(Uri baseAddress, IPAddress source)
    {
#pragma warning disable CA2000 // The client owns and disposes the handler.
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
#pragma warning restore CA2000
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(90) };
    }
}
