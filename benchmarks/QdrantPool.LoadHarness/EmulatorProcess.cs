using System.Collections.Concurrent;
using System.Diagnostics;
using Qdrant.Client;

namespace QdrantPool.LoadHarness;

/// <summary>
/// The built QdrantEmulator (its dll is copied next to the harness by the project reference) run as a child process on
/// loopback, port 0 (a free port it picks and prints), with a temporary data folder: the server's CPU is not the
/// harness's. The same start as tests/QdrantEmulator.Tests/Durability/EmulatorProcess.cs.
/// </summary>
internal sealed class EmulatorProcess : IDisposable
{
    public const string ApiKey = "load-harness-key";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _storagePath;

    private EmulatorProcess(Process process, string storagePath, Uri grpcEndpoint)
    {
        _process = process;
        _storagePath = storagePath;
        GrpcEndpoint = grpcEndpoint;
    }

    public Uri GrpcEndpoint { get; }

    /// <summary>CPU the server process has used so far (user + system).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<EmulatorProcess> StartAsync(CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "QdrantEmulator.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The built emulator is missing next to the harness: {dll}");
        }

        var storagePath = Directory.CreateTempSubdirectory("qdrant-load-harness-").FullName;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", dll, "--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0", "--storage-path", storagePath, "--api-key", ApiKey })
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
            endpoint = await address.Task.WaitAsync(StartTimeout, cancellationToken);
        }
        catch
        {
            Stop(process, storagePath);
            throw;
        }

        var emulator = new EmulatorProcess(process, storagePath, endpoint);
        await emulator.WaitUntilHealthyAsync(cancellationToken);
        return emulator;
    }

    public QdrantClient CreateClient() => new(GrpcEndpoint.Host, GrpcEndpoint.Port, apiKey: ApiKey);

    public void Dispose() => Stop(_process, _storagePath);

    private static void Stop(Process process, string storagePath)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        process.Dispose();
        try
        {
            Directory.Delete(storagePath, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the run's figures are what matters.
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            try
            {
                await client.HealthAsync(deadline.Token);
                return;
            }
            catch (Grpc.Core.RpcException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
        }
    }
}
