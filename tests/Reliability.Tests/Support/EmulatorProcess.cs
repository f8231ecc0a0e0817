using System.Collections.Concurrent;
using System.Diagnostics;
using Qdrant.Client;

namespace Reliability.Tests.Support;

/// <summary>
/// The built emulator (QdrantEmulator.dll, copied here by the project reference) as a child process on a loopback
/// port, so a test can kill it the hard way (SIGKILL) and start it again on the same port and folder. Ready once it
/// answers an authenticated call. Adapted from QdrantEmulator.Tests' Durability/EmulatorProcess (which picks port 0).
/// </summary>
internal sealed class EmulatorProcess : IDisposable
{
    public const string ApiKey = "reliability-process-key";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private EmulatorProcess(Process process, ConcurrentQueue<string> output, Uri grpcEndpoint)
    {
        _process = process;
        _output = output;
        GrpcEndpoint = grpcEndpoint;
    }

    public Uri GrpcEndpoint { get; }

    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<EmulatorProcess> StartAsync(string storagePath, int grpcPort)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "QdrantEmulator.dll");
        Assert.True(File.Exists(dll), $"The built emulator is missing: {dll}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", dll, "--host", "127.0.0.1", "--grpc-port", grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--http-port", "0", "--storage-path", storagePath, "--api-key", ApiKey })
        {
            start.ArgumentList.Add(argument);
        }

        // The child takes its settings from the command line only.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("QDRANT__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        var output = new ConcurrentQueue<string>();
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            const string prefix = "gRPC listening on ";
            if (e.Data.StartsWith(prefix, StringComparison.Ordinal))
            {
                address.TrySetResult(new Uri(e.Data[prefix.Length..]));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException(
            $"The emulator exited before it was ready:{Environment.NewLine}{string.Join(Environment.NewLine, output)}"));

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Uri endpoint;
        try
        {
            endpoint = await address.Task.WaitAsync(StartTimeout);
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            throw;
        }

        var emulator = new EmulatorProcess(process, output, endpoint);
        await emulator.WaitUntilServingAsync();
        return emulator;
    }

    /// <summary>SIGKILL: no clean stop, as a crash or power cut.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private async Task WaitUntilServingAsync()
    {
        using var owned = new OwnedQdrantClient(GrpcEndpoint, ApiKey);
        var client = owned.Client;
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            try
            {
                await client.ListCollectionsAsync(deadline.Token);
                return;
            }
            catch (Grpc.Core.RpcException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
        }
    }
}
