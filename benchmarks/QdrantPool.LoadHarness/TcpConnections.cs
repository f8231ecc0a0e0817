using System.Globalization;

namespace QdrantPool.LoadHarness;

/// <summary>
/// Established TCP connections from THIS process to a loopback port, counted from the operating system rather than
/// from what the client believes it holds: the sockets in /proc/net/tcp(6) whose remote port is the server's and whose
/// inode is one of this process's open file descriptors (other processes on a busy machine are not counted). Linux
/// only; elsewhere the count is reported as unknown.
/// </summary>
internal static class TcpConnections
{
    private const string Established = "01";

    public static int? CountTo(int port)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self/fd"))
        {
            return null;
        }

        var ours = OwnSocketInodes();
        var count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...": addresses are HEX_IP:HEX_PORT.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == Established && PortOf(fields[2]) == port && ours.Contains(fields[9]))
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static HashSet<string> OwnSocketInodes()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                // A socket descriptor links to "socket:[inode]".
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // Closed while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return inodes;
    }

    private static int PortOf(string address) =>
        int.Parse(address.AsSpan(address.LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
