using System.Collections.Concurrent;
using System.Diagnostics;
using Qdrant.Client;

namespace QdrantEmulator.Tests.Durability;

/// <summary>
/// The built emulator (QdrantEmulator.dll, copied next to this test assembly by the project reference) run as a
/// child process, so a test can kill it the hard way. Ready once it prints its gRPC address and answers HealthCheck.
/// </summary>
internal sealed class EmulatorProcess : IDisposable
{
    public const string ApiKey = "durability-key";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output;

    private EmulatorProcess(Process process, ConcurrentQueue<string> output, Uri grpcEndpoint)
    {
        this.process = process;
        this.output = output;
        GrpcEndpoint = grpcEndpoint;
    }

    public Uri GrpcEndpoint { get; }

    public string Output => string.Join(Environment.NewLine, output);

    public static async Task<EmulatorProcess> StartAsync(string storagePath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "QdrantEmulator.dll");
        Assert.True(File.Exists(dll), $"The built emulator is missing: {dll}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", dll, "--grpc-port", "0", "--http-port", "0", "--storage-path", storagePath, "--api-key", ApiKey })
        {
            start.ArgumentList.Add(argument);
        }

        // The child must take its settings from the command line only.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("QDRANT__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
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
        var emulator = new EmulatorProcess(process, output, await WaitAsync(address.Task, output));
        await emulator.WaitUntilHealthyAsync();
        return emulator;
    }

    public QdrantClient CreateClient() => new(GrpcEndpoint, ApiKey);

    /// <summary>Kills the process without letting it stop cleanly, as a crash or power cut would.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private static async Task<Uri> WaitAsync(Task<Uri> address, ConcurrentQueue<string> output)
    {
        try
        {
            return await address.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The emulator printed no address within {StartTimeout}:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = CreateClient();
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            try
            {
                await client.HealthAsync(deadline.Token);
                return;
            }
            catch (global::Grpc.Core.RpcException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
        }
    }
}
