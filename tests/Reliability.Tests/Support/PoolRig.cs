using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using QdrantPool;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using Xunit.Abstractions;

namespace Reliability.Tests.Support;

/// <summary>
/// One pool-level scenario's world: Qdrant (the emulator in-process, or QDRANT_TEST_ENDPOINT), the fault proxy in
/// front of it, the pool's logs captured, and a direct client (around the proxy) for setting up and checking data.
/// </summary>
internal sealed class PoolRig : IAsyncDisposable
{
    private readonly List<string> _collections = [];
    private readonly ILoggerFactory _loggerFactory;
    private readonly OwnedQdrantClient _direct;

    private PoolRig(QdrantUnderTest qdrant, FaultProxy proxy, ITestOutputHelper output)
    {
        Qdrant = qdrant;
        Proxy = proxy;
        Output = output;
        LogProvider = new FakeLoggerProvider();
        _loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(LogProvider));
        _direct = new OwnedQdrantClient(qdrant.Endpoint, qdrant.ApiKey);
    }

    public QdrantUnderTest Qdrant { get; }

    public FaultProxy Proxy { get; }

    public ITestOutputHelper Output { get; }

    public FakeLoggerProvider LogProvider { get; }

    /// <summary>A client straight to Qdrant, bypassing the proxy and the pool.</summary>
    public QdrantClient Direct => _direct.Client;

    public static async Task<PoolRig> StartAsync(ITestOutputHelper output)
    {
        var qdrant = await QdrantUnderTest.StartAsync();
        return new PoolRig(qdrant, FaultProxy.Start(qdrant.Endpoint), output);
    }

    /// <summary>
    /// A pool through the proxy with small intervals and no retry jitter, so the bound on a call's duration is exact:
    /// AcquireTimeout + GrpcTimeout × (1 + MaxRetryAttempts) + RetryBaseDelay × (2^MaxRetryAttempts − 1).
    /// </summary>
    public QdrantConnectionPool CreatePool(Action<QdrantConnectionPoolOptions>? configure = null, string? apiKey = null)
    {
        var options = new QdrantConnectionPoolOptions
        {
            Name = "reliability-" + Guid.NewGuid().ToString("N")[..6],
            Endpoint = Proxy.Endpoint,
            ApiKey = apiKey ?? Qdrant.ApiKey,
            MinSize = 1,
            MaxSize = 3,
            AcquireTimeout = TimeSpan.FromSeconds(5),
            MaxRetryAttempts = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(25),
            UseRetryJitter = false,
            MediumHealthCheckTimeout = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        return new QdrantConnectionPool(options, _loggerFactory);
    }

    /// <summary>A fresh collection of 4-dimensional cosine vectors, made directly (the proxy counts none of it).</summary>
    public async Task<string> CreateCollectionAsync()
    {
        var name = "reliability_" + Guid.NewGuid().ToString("N")[..10];
        await Direct.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Cosine });
        _collections.Add(name);
        return name;
    }

    public static PointStruct Point(ulong id) => new()
    {
        Id = id,
        Vectors = new[] { 1f, id % 7, (id % 3) + 1f, 2f },
        Payload = { ["n"] = (long)id },
    };

    public string Logs(LogLevel atLeast = LogLevel.Warning) => string.Join(
        Environment.NewLine,
        LogProvider.Collector.GetSnapshot().Where(r => r.Level >= atLeast).Select(r => $"{r.Level}: {r.Message}"));

    public async ValueTask DisposeAsync()
    {
        Output.WriteLine(Proxy.Describe());
        await Proxy.DisposeAsync();
        foreach (var collection in _collections)
        {
            try
            {
                await Direct.DeleteCollectionAsync(collection);
            }
            catch (Grpc.Core.RpcException)
            {
                // Best effort: the emulator's folder goes anyway; a real Qdrant keeps a stray test collection.
            }
        }

        _direct.Dispose();
        _loggerFactory.Dispose();
        await Qdrant.DisposeAsync();
    }
}
