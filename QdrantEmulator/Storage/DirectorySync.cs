using System.Runtime.InteropServices;

namespace QdrantEmulator.Storage;

/// <summary>
/// fsync on a directory, so a rename inside it is on disk before we rely on it (the log is truncated right after the
/// snapshot is renamed into place). .NET has no API for this; on Windows the rename itself is journaled by NTFS.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY on Linux and macOS

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open the storage folder '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Flushing the storage folder '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
