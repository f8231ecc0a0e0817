using System.ComponentModel;
using System.Diagnostics;

namespace MemoryAspire.Hosting;

/// <summary>
/// Runs <c>{runtime} info</c> for docker, then podman (or only the one named by <c>ASPIRE_CONTAINER_RUNTIME</c>),
/// the same question DCP asks before it starts containers. The caller bounds the time; cancelling kills the process.
/// </summary>
internal sealed class CommandLineContainerRuntimeProbe(IReadOnlyList<string> runtimes) : IContainerRuntimeProbe
{
    public static readonly IReadOnlyList<string> DefaultRuntimes = ["docker", "podman"];

    public async Task<ContainerRuntimeProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>(runtimes.Count);
        foreach (var runtime in runtimes)
        {
            var (ok, detail) = await RunInfoAsync(runtime, cancellationToken).ConfigureAwait(false);
            if (ok)
            {
                return new ContainerRuntimeProbeResult(runtime, detail);
            }

            failures.Add($"{runtime}: {detail}");
        }

        return ContainerRuntimeProbeResult.Unavailable(string.Join("; ", failures));
    }

    private static async Task<(bool Ok, string Detail)> RunInfoAsync(string runtime, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(runtime)
        {
            ArgumentList = { "info", "--format", "{{.ServerVersion}}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            return (false, "not installed");
        }

        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

            var version = (await output.ConfigureAwait(false)).Trim();
            if (process.ExitCode == 0 && version.Length > 0)
            {
                return (true, $"server {version}");
            }

            var message = FirstLine(await error.ConfigureAwait(false)) ?? $"exit code {process.ExitCode}";
            return (false, message);
        }
        catch (OperationCanceledException)
        {
            // A hung CLI (e.g. a stuck daemon socket) must not outlive the probe's bound.
            TryKill(process);
            throw;
        }
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
