using System.Globalization;

namespace QdrantPool.LoadHarness;

/// <summary>
/// Established TCP connections to a loopback port, counted from the operating system (/proc/net/tcp and tcp6) rather
/// than from what the client believes it holds. Linux only; elsewhere the count is reported as unknown.
/// </summary>
internal static class TcpConnections
{
    private const string Established = "01";

    public static int? CountTo(int port)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // "sl local_address rem_address st ...": addresses are HEX_IP:HEX_PORT.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == Established && PortOf(fields[2]) == port)
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static int PortOf(string address) =>
        int.Parse(address.AsSpan(address.LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
