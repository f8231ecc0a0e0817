using System.Diagnostics;

namespace PoolWorker.Benchmark.Recovery;

/// <summary>Restarts the server with the user's <c>--restart-command</c>, run by <c>/bin/sh -c</c>.</summary>
internal sealed class ShellRestarter(string command) : IServerRestarter
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public string Description => command;

    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command }, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"The restart command could not start: {command}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The restart command did not finish within {Timeout.TotalSeconds:0} s: {command}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The restart command exited with {process.ExitCode}: {command}. {(await stderr).Trim()}");
        }
    }
}
