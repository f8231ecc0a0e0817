using System.Net.Http.Headers;
using MemoryService.Extensions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Reliability.Tests.Support;

/// <summary>
/// MemoryService in-process (its real Program, through WebApplicationFactory, on Kestrel at a loopback port) with Hash embeddings, an API key, a
/// collection of its own and Qdrant at the given address (the emulator, the fault proxy, or a real Qdrant). Every log
/// line of the service, at Debug and above, is captured for the secrets scan.
/// </summary>
/// <remarks>
/// Typed on <see cref="MemoryOptions"/> rather than <c>Program</c>: the emulator's <c>Program</c> is in reach too, and
/// WebApplicationFactory only needs a type from the service's assembly.
/// </remarks>
internal sealed class MemoryServiceHost : WebApplicationFactory<MemoryOptions>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly LogLevel _captureLevel;

    /// <param name="captureLevel">
    /// The lowest level captured. The capture keeps every record, so a long run (the soak) captures warnings only:
    /// at Debug it would hold every request's log lines and measure the capture instead of the service.
    /// </param>
    public MemoryServiceHost(Uri qdrant, string? qdrantKey, IReadOnlyDictionary<string, string?>? settings = null, LogLevel captureLevel = LogLevel.Debug)
    {
        _captureLevel = captureLevel;
        ServiceKey = "memory-key-" + Guid.NewGuid().ToString("N");
        Collection = "memories_" + Guid.NewGuid().ToString("N")[..10];
        var connectionString = qdrantKey is null ? $"Endpoint={qdrant}" : $"Endpoint={qdrant};Key={qdrantKey}";
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:qdrant"] = connectionString,
            ["Memory:ApiKey"] = ServiceKey,
            ["Memory:Collection"] = Collection,
            ["Memory:Embeddings:Provider"] = "Hash",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        // Real Kestrel on a loopback port, not the in-memory TestServer: requests cross a socket and are parsed as
        // any client's would be (TestServer rejects some hostile paths in the client before the service sees them).
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
    }

    public string ServiceKey { get; }

    public string Collection { get; }

    public FakeLoggerProvider Logs { get; } = new();

    /// <summary>A client that presents the service's key.</summary>
    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceKey);
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            // Host settings are visible while Program builds its services (unlike late app-configuration sources).
            builder.UseSetting(key, value);
        }

        // Only the capture: the console would drown the test output, and the capture sees every line the console would.
        builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(_captureLevel).AddProvider(Logs));
    }

    public string CapturedLogs() => string.Join(
        Environment.NewLine,
        Logs.Collector.GetSnapshot().Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}"));
}
