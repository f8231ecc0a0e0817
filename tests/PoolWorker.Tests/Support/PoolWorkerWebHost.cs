using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PoolWorker.Tests.Support;

/// <summary>
/// PoolWorker as a web host (WebApplicationFactory) over its own in-process emulator, with a report folder of its own
/// that is deleted on dispose. The settings given are applied after the connection string and the folder.
/// </summary>
internal sealed class PoolWorkerWebHost : IAsyncDisposable
{
    private readonly BenchmarkEmulator _emulator;
    private readonly string _output;

    private PoolWorkerWebHost(BenchmarkEmulator emulator, string output, WebApplicationFactory<PoolWorker.Hosting.BenchmarkJob> factory)
    {
        _emulator = emulator;
        _output = output;
        Factory = factory;
    }

    // Any PoolWorker type names the entry assembly; "Program" is ambiguous beside the emulator's.
    public WebApplicationFactory<PoolWorker.Hosting.BenchmarkJob> Factory { get; }

    public static async Task<PoolWorkerWebHost> StartAsync(string outputPrefix, params (string Key, string Value)[] settings)
    {
        var emulator = new BenchmarkEmulator();
        await emulator.InitializeAsync();
        var output = Path.Combine(Path.GetTempPath(), outputPrefix + "-" + Guid.NewGuid().ToString("N"));
        var factory = new WebApplicationFactory<PoolWorker.Hosting.BenchmarkJob>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:qdrant", $"Endpoint={emulator.Endpoint};Key={BenchmarkEmulator.ApiKey}");
            web.UseSetting("PoolWorker:Benchmark:OutputFolder", output);
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        return new PoolWorkerWebHost(emulator, output, factory);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _emulator.DisposeAsync();
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
