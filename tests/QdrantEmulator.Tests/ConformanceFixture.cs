using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantEmulator.Hosting;

namespace QdrantEmulator.Tests;

/// <summary>Tests in this collection share one Qdrant: the emulator in-process, or a real one from the environment.</summary>
[CollectionDefinition("conformance")]
public sealed class ConformanceCollection : ICollectionFixture<ConformanceFixture>;

/// <summary>
/// The Qdrant the conformance suite talks to, always through the official Qdrant.Client over a real socket.
/// With <c>QDRANT_TEST_ENDPOINT</c> set (e.g. <c>http://localhost:6334</c>, plus <c>QDRANT_TEST_API_KEY</c> and
/// <c>QDRANT_TEST_READ_ONLY_API_KEY</c> as that server was started), the suite runs unchanged against it; otherwise
/// it starts the emulator in-process on loopback port 0 with both keys and a temporary storage folder.
/// </summary>
public sealed class ConformanceFixture : IAsyncLifetime
{
    public const string EndpointVariable = "QDRANT_TEST_ENDPOINT";
    public const string ApiKeyVariable = "QDRANT_TEST_API_KEY";
    public const string ReadOnlyApiKeyVariable = "QDRANT_TEST_READ_ONLY_API_KEY";

    private readonly System.Collections.Concurrent.ConcurrentBag<GrpcChannel> channels = [];
    private EmulatorHost? emulator;
    private string? storagePath;

    /// <summary>The gRPC address of the server under test.</summary>
    public Uri GrpcEndpoint { get; private set; } = null!;

    /// <summary>The REST address, when the fixture started the emulator (null against a real Qdrant given by gRPC endpoint only).</summary>
    public Uri? HttpEndpoint { get; private set; }

    public string? ApiKey { get; private set; }

    public string? ReadOnlyApiKey { get; private set; }

    /// <summary>True when the server under test is the in-process emulator.</summary>
    public bool IsEmulator => emulator is not null;

    /// <summary>A client with the full-access key.</summary>
    public QdrantClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var endpoint = Environment.GetEnvironmentVariable(EndpointVariable);
        if (!string.IsNullOrEmpty(endpoint))
        {
            GrpcEndpoint = new Uri(endpoint);
            ApiKey = Environment.GetEnvironmentVariable(ApiKeyVariable);
            ReadOnlyApiKey = Environment.GetEnvironmentVariable(ReadOnlyApiKeyVariable);
        }
        else
        {
            ApiKey = "conformance-key";
            ReadOnlyApiKey = "conformance-read-only-key";
            storagePath = Path.Combine(Path.GetTempPath(), "qdrant-emulator-tests", Guid.NewGuid().ToString("N"));
            emulator = await EmulatorHost.StartAsync(new EmulatorSettings
            {
                ApiKey = ApiKey,
                ReadOnlyApiKey = ReadOnlyApiKey,
                GrpcPort = 0,
                HttpPort = 0,
                StoragePath = storagePath,
            });
            GrpcEndpoint = emulator.GrpcEndpoint;
            HttpEndpoint = emulator.HttpEndpoint;
        }

        Client = CreateClient(ApiKey);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        if (storagePath is not null && Directory.Exists(storagePath))
        {
            Directory.Delete(storagePath, recursive: true);
        }
    }

    /// <summary>A high-level client with the given key (null: none).</summary>
    public QdrantClient CreateClient(string? apiKey) => new(GrpcEndpoint, apiKey);

    /// <summary>
    /// The low-level generated clients over a channel that sends exactly <paramref name="headers"/>, for cases the
    /// high-level client hides (raw methods, bearer tokens, no key at all).
    /// </summary>
    public QdrantGrpcClient CreateGrpcClient(params (string Name, string Value)[] headers)
    {
        // Disposed with the fixture: tests hand out only the generated clients, which cannot close their channel.
        var channel = GrpcChannel.ForAddress(GrpcEndpoint);
        channels.Add(channel);
        var invoker = channel.Intercept(metadata =>
        {
            foreach (var (name, value) in headers)
            {
                metadata.Add(name, value);
            }

            return metadata;
        });
        return new QdrantGrpcClient(invoker);
    }

    /// <summary>Headers carrying the full-access key, as the official client sends it.</summary>
    public (string Name, string Value)[] KeyHeaders => ApiKey is null ? [] : [("api-key", ApiKey)];

    /// <summary>A collection name no other test uses.</summary>
    public static string UniqueCollectionName(string prefix = "c") => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>Creates a fresh collection with one unnamed vector and returns its name.</summary>
    public async Task<string> CreateCollectionAsync(ulong size = 4, Distance distance = Distance.Cosine, string prefix = "c")
    {
        var name = UniqueCollectionName(prefix);
        await Client.CreateCollectionAsync(name, new VectorParams { Size = size, Distance = distance });
        return name;
    }

    /// <summary>Asserts the call fails with <paramref name="code"/> and exactly <paramref name="detail"/>.</summary>
    public static async Task<RpcException> AssertRpcErrorAsync(StatusCode code, string detail, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        Assert.Equal(detail, error.Status.Detail);
        return error;
    }
}
