using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using PoolWorker.Benchmark.Report;

namespace PoolWorker.Benchmark.Running;

/// <summary>What the report says about the machine and the code: cores, OS, runtime, load average, git commit.</summary>
internal static class MachineProbe
{
    public static double[]? LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return fields.Take(3).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public static MachineInfo Describe(double[]? loadAtStart, double[]? loadAtEnd) => new(
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        $"{RuntimeInformation.FrameworkDescription} ({(System.Runtime.GCSettings.IsServerGC ? "Server GC" : "Workstation GC")})",
        RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.MachineName,
        loadAtStart,
        loadAtEnd);

    /// <summary>The commit of the working directory's repository, with "-dirty" when it has changes; null outside git.</summary>
    public static string? GitCommit()
    {
        var commit = Git("rev-parse HEAD");
        if (commit is null)
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(Git("status --porcelain --untracked-files=no")) ? commit : commit + "-dirty";
    }

    private static string? Git(string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(5_000) && process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
