using System.Net;
using System.Net.Sockets;

namespace MemoryService.Tests.Support;

/// <summary>A loopback port nothing listens on at the moment of asking: the OS picks it, then it is released.</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
