using System.Globalization;

namespace PoolWorker.Benchmark.Running;

/// <summary>
/// Counts this process's ESTABLISHED TCP connections to a port, from the operating system (/proc), not from the
/// pool's own counters: the socket inodes this process holds (/proc/self/fd) matched against /proc/net/tcp{,6}.
/// The one copy of this /proc parsing: the test projects compile this file in too (linked), so what the benchmark
/// reports and what the tests assert are counted the same way.
/// </summary>
internal static class TcpConnectionCounter
{
    private const string Established = "01";

    public static bool IsSupported => File.Exists("/proc/net/tcp") && Directory.Exists("/proc/self/fd");

    public static int CountEstablishedTo(int remotePort) => EstablishedTo(remotePort).Count;

    /// <summary>The local ends (hex address:port, as /proc writes them) of this process's ESTABLISHED connections to the port.</summary>
    public static IReadOnlyList<string> EstablishedTo(int remotePort)
    {
        var inodes = OwnSocketInodes();
        var portHex = remotePort.ToString("X4", CultureInfo.InvariantCulture);
        var localEnds = new List<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == Established && fields[2].EndsWith(":" + portHex, StringComparison.Ordinal) && inodes.Contains(fields[9]))
                {
                    localEnds.Add(fields[1]);
                }
            }
        }

        // One socket per local end. /proc/net/tcp is read in chunks and is not a snapshot: while other sockets open and
        // close (a busy machine), the kernel's walk of its hash table can list the same socket twice. Seen at load 60:
        // "44 established" that were 5 local ports repeated.
        return localEnds.Distinct(StringComparer.Ordinal).ToList();
    }

    private static HashSet<string> OwnSocketInodes()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target[8..^1]);
                }
            }
            catch (IOException)
            {
                // The descriptor closed while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return inodes;
    }
}
