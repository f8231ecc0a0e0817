using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace MemoryAspire.Testing;

/// <summary>
/// The built emulator (QdrantEmulator.dll, copied next to the running assembly by the project reference) run as a
/// child process on loopback, so its CPU is not ours and it can be killed the hard way (SIGKILL) and started again on
/// the same folder. The one copy of this start: QdrantEmulator.Tests, Reliability.Tests and the load harness compile
/// this file in (linked) and each adds, in a partial of its own, its API key and the start it needs.
/// </summary>
internal sealed partial class EmulatorProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    private readonly EmulatorStart _start;

    private EmulatorProcess(Process process, ConcurrentQueue<string> output, EmulatorStart start, Uri grpcEndpoint)
    {
        _process = process;
        _output = output;
        _start = start;
        GrpcEndpoint = grpcEndpoint;
    }

    public Uri GrpcEndpoint { get; }

    /// <summary>What the process has written so far, standard output and error interleaved.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>CPU the server process has used so far (user + system).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the emulator and returns once it printed its gRPC address and <see cref="EmulatorStart.ReadyWhen"/> succeeded.</summary>
    public static async Task<EmulatorProcess> StartAsync(EmulatorStart settings, CancellationToken cancellationToken = default)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "QdrantEmulator.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The built emulator is missing: {dll}");
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var grpcPort = settings.GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var argument in new[] { "exec", dll, "--host", "127.0.0.1", "--grpc-port", grpcPort, "--http-port", "0", "--storage-path", settings.StoragePath, "--api-key", settings.ApiKey })
        {
            start.ArgumentList.Add(argument);
        }

        // The child takes its settings from the command line only.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("QDRANT__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in settings.Environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
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
        catch (Exception failure)
        {
            Stop(process, settings);
            if (failure is TimeoutException)
            {
                throw new TimeoutException($"The emulator printed no address within {StartTimeout}:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            }

            throw;
        }

        var emulator = new EmulatorProcess(process, output, settings, endpoint);
        try
        {
            await emulator.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            emulator.Dispose();
            throw;
        }

        return emulator;
    }

    public QdrantClient CreateClient() => new(GrpcEndpoint, _start.ApiKey);

    /// <summary>Kills the process without letting it stop cleanly, as a crash or power cut would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose() => Stop(_process, _start);

    private static void Stop(Process process, EmulatorStart settings)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        process.Dispose();
        if (!settings.DeleteStorageOnDispose)
        {
            return;
        }

        try
        {
            Directory.Delete(settings.StoragePath, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        // The probe's channel is ours to close: disposing a QdrantClient(Uri, key) alone leaves its TCP connection
        // established (pool-anchors.md), which would skew the socket counts of the tests that count them.
        using var channel = GrpcChannel.ForAddress(GrpcEndpoint);
        var invoker = channel.Intercept(metadata =>
        {
            metadata.Add("api-key", _start.ApiKey);
            return metadata;
        });
        using var client = new QdrantClient(new QdrantGrpcClient(invoker));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            try
            {
                await _start.ReadyWhen(client, deadline.Token);
                return;
            }
            catch (Grpc.Core.RpcException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
        }
    }
}

/// <summary>How to start an <see cref="EmulatorProcess"/>: what the projects that run it need differently.</summary>
internal sealed record EmulatorStart
{
    /// <summary>The data folder; the same folder again is a restart.</summary>
    public required string StoragePath { get; init; }

    public required string ApiKey { get; init; }

    /// <summary>0: a free port the emulator picks and prints; a fixed port lets a restart come back where clients look.</summary>
    public int GrpcPort { get; init; }

    /// <summary>Variables set for the child on top of ours (from which every <c>QDRANT__*</c> is removed first).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The call that must succeed before the start returns; retried while it fails with an RpcException.</summary>
    public Func<QdrantClient, CancellationToken, Task> ReadyWhen { get; init; } = (client, cancellationToken) => client.HealthAsync(cancellationToken);

    /// <summary>Delete <see cref="StoragePath"/> when the process is disposed (a temporary folder made for it).</summary>
    public bool DeleteStorageOnDispose { get; init; }
}
