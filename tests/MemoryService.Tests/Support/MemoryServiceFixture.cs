extern alias emulator;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MemoryService.Store;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using emulator::QdrantEmulator.Hosting;

namespace MemoryService.Tests.Support;

/// <summary>
/// MemoryService in a <see cref="WebApplicationFactory{TEntryPoint}"/> against its own QdrantEmulator, hosted in-process
/// on loopback port 0 (real gRPC over real sockets), with Hash embeddings and an API key. Each fixture has its own
/// emulator, so socket counts and pool metrics belong to one service.
/// </summary>
public class MemoryServiceFixture : IAsyncLifetime
{
    public const string ApiKey = "memory-test-key";
    public const string QdrantKey = "qdrant-test-key";
    public const int PoolMaxSize = 4;

    private readonly string _storage = Path.Combine(Path.GetTempPath(), "memoryservice-tests-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings;
    private EmulatorHost? _emulator;
    private WebApplicationFactory<Program>? _factory;

    public MemoryServiceFixture(bool usePool = true, params (string Key, string? Value)[] settings)
    {
        UsePool = usePool;
        _settings = new Dictionary<string, string?>
        {
            ["Memory:UsePool"] = usePool ? "true" : "false",
            ["Memory:ApiKey"] = ApiKey,
            ["Memory:Collection"] = "memories-" + Guid.NewGuid().ToString("N")[..8],
            ["Memory:Embeddings:Provider"] = "Hash",
            ["Aspire:Qdrant:Pool:MaxSize"] = PoolMaxSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public bool UsePool { get; }

    public string Collection => _settings["Memory:Collection"]!;

    /// <summary>The emulator's gRPC port: chosen when it first starts, or up front when it starts late.</summary>
    public int QdrantPort { get; private set; }

    public Uri QdrantEndpoint => new($"http://127.0.0.1:{QdrantPort}");

    /// <summary>Every log line the service wrote (message and exception), to prove what never appears in them.</summary>
    public CapturedLogs Logs { get; } = new();

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("The service has not started.");

    public IServiceProvider Services => Factory.Services;

    public IMemoryStore Store => Services.GetRequiredService<IMemoryStore>();

    /// <summary>Where MemoryService finds Qdrant; override to point it elsewhere (e.g. nowhere).</summary>
    protected virtual string ConnectionString => $"Endpoint={QdrantEndpoint};Key={QdrantKey}";

    /// <summary>Runs before the service starts, with the emulator up (e.g. to pre-create a collection).</summary>
    protected virtual Task BeforeServiceStartsAsync() => Task.CompletedTask;

    protected virtual bool WaitForReadiness => true;

    /// <summary>False: the service starts while Qdrant is away, on a port nothing listens on until <see cref="StartEmulatorAsync"/>.</summary>
    protected virtual bool StartEmulatorFirst => true;

    public async Task InitializeAsync()
    {
        if (StartEmulatorFirst)
        {
            await StartEmulatorAsync();
        }
        else
        {
            QdrantPort = LoopbackPort.Free();
        }

        await BeforeServiceStartsAsync();

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.ConfigureLogging(logging => logging.AddProvider(Logs));
            web.UseSetting("ConnectionStrings:qdrant", ConnectionString);
            foreach (var (key, value) in _settings)
            {
                web.UseSetting(key, value);
            }
        });

        // Starts the host (and the collection bootstrapper).
        _ = _factory.Services;
        if (WaitForReadiness)
        {
            await WaitUntilReadyAsync();
        }
    }

    /// <summary>An HttpClient that sends the API key.</summary>
    public HttpClient CreateClient()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public HttpClient CreateAnonymousClient() => Factory.CreateClient();

    /// <summary>Waits (bounded) until /health says the memory collection is ready.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        using var client = CreateAnonymousClient();
        await Eventually.TrueAsync(async () =>
        {
            using var health = await client.GetAsync("/health");
            using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("checks").GetProperty(MemoryCollectionHealthCheck.Name).GetProperty("status").GetString() == "Healthy";
        }, timeout ?? TimeSpan.FromSeconds(30), "the memory collection to become ready");
    }

    /// <summary>Starts the emulator: on any free port the first time, on the same port (and data) after a stop.</summary>
    public async Task StartEmulatorAsync()
    {
        _emulator = await EmulatorHost.StartAsync(new EmulatorSettings
        {
            Host = "127.0.0.1",
            GrpcPort = QdrantPort,
            HttpPort = 0,
            ApiKey = QdrantKey,
            StoragePath = _storage,
        });
        QdrantPort = _emulator.GrpcEndpoint.Port;
    }

    public async Task StopEmulatorAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
            _emulator = null;
        }
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await StopEmulatorAsync();

        try
        {
            Directory.Delete(_storage, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

public sealed class PooledServiceFixture() : MemoryServiceFixture(usePool: true);

public sealed class SharedClientServiceFixture() : MemoryServiceFixture(usePool: false);

/// <summary>Waits on a condition with a deadline instead of sleeping a guessed time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                last = error;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.", last);
    }
}

internal static class HttpJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Options))!;

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, Options);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, new MediaTypeHeaderValue("application/json")));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        MemoryService.Extensions.Extensions.Configure(options);
        options.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        return options;
    }
}
