using System.Data.Common;
using System.Diagnostics;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using Xunit.Abstractions;

namespace AppHost.Tests;

/// <summary>The whole AppHost in Emulator mode: every resource healthy, and Qdrant serving the official client.</summary>
public sealed class AppHostIntegrationTests(ITestOutputHelper output)
{
    // Two shared cores, and under `dotnet test MemoryAspire.sln` other test projects run beside this one:
    // about 45 s alone here; the bound only ends a hang.
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] Resources = ["qdrant-emulator", "qdrant", "memoryservice", "poolworker"];

    [Fact]
    public async Task AppHost_EmulatorMode_EveryResourceHealthyAndQdrantServesTheOfficialClient()
    {
        using var cancellation = new CancellationTokenSource(StartupTimeout);
        var cancellationToken = cancellation.Token;
        var dataPath = Path.Combine(Path.GetTempPath(), $"apphost-integration-{Guid.NewGuid():N}");
        var stopwatch = Stopwatch.StartNew();

        try
        {
            var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                ["--Qdrant:Mode=Emulator", $"--Qdrant:Emulator:DataPath={dataPath}", "--PoolWorker:SteadyLoad=false"], cancellationToken);
            await using var app = await appHost.BuildAsync(cancellationToken).WaitAsync(StartupTimeout, cancellationToken);
            var states = new ResourceStateLog(app.ResourceNotifications, cancellationToken);
            try
            {
                // StartAsync returns only once every resource has been created, and the services wait for Qdrant,
                // so watch health alongside it: a resource that fails to start (e.g. an emulator binary that was
                // never built) then ends the test at once instead of after the whole bound.
                var starting = app.StartAsync(cancellationToken);
                var healthy = WaitUntilHealthyInOrderAsync(app.ResourceNotifications, stopwatch, cancellationToken);
                await (await Task.WhenAny(starting, healthy).WaitAsync(StartupTimeout, cancellationToken));
                await Task.WhenAll(starting, healthy).WaitAsync(StartupTimeout, cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or DistributedApplicationException)
            {
                // Say which resource was stuck or failed, and in what state, rather than only "a task was canceled".
                output.WriteLine($"{ex.GetType().Name} after {stopwatch.Elapsed.TotalSeconds:0.0} s: {ex.Message}{Environment.NewLine}{states.Describe()}");
                await cancellation.CancelAsync();
                throw;
            }

            var connectionString = await app.GetConnectionStringAsync("qdrant", cancellationToken);
            Assert.NotNull(connectionString);
            var (endpoint, key) = Parse(connectionString);
            Assert.False(string.IsNullOrEmpty(key), "The emulator must run with the generated API key.");

            using var client = new QdrantClient(endpoint, key, grpcTimeout: TimeSpan.FromSeconds(30));
            const string Collection = "apphost_integration";
            await client.CreateCollectionAsync(Collection, new VectorParams { Size = 4, Distance = Distance.Cosine }, cancellationToken: cancellationToken);
            await client.UpsertAsync(
                Collection,
                [
                    Point(1, [1f, 0f, 0f, 0f], "north"),
                    Point(2, [0f, 1f, 0f, 0f], "east"),
                    Point(3, [0.9f, 0.1f, 0f, 0f], "north-ish"),
                ],
                cancellationToken: cancellationToken);

            var hits = await client.QueryAsync(Collection, query: new[] { 1f, 0f, 0f, 0f }, limit: 2, cancellationToken: cancellationToken);
            var count = await client.CountAsync(Collection, cancellationToken: cancellationToken);

            Assert.Equal([1ul, 3ul], hits.Select(h => h.Id.Num));
            Assert.Equal("north", hits[0].Payload["label"].StringValue);
            Assert.Equal(3ul, count);

            var listed = await app.ResourceCommands.ExecuteCommandAsync("qdrant", "qdrant-list-collections", cancellationToken);
            Assert.True(listed.Success, listed.Message);
            // MemoryService's own collection (healthy only once it exists) and PoolWorker's seeded one are listed beside this one.
            Assert.Contains($"{Collection}: 3 points", (listed.Message ?? string.Empty).Split("; "));
            output.WriteLine($"Integration test finished after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            if (Directory.Exists(dataPath))
            {
                Directory.Delete(dataPath, recursive: true);
            }
        }
    }

    private async Task WaitUntilHealthyInOrderAsync(
        ResourceNotificationService notifications, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        foreach (var resource in Resources)
        {
            // StopOnResourceUnavailable: a resource that fails to start or exits throws instead of being waited on.
            await notifications.WaitForResourceHealthyAsync(resource, WaitBehavior.StopOnResourceUnavailable, cancellationToken);
            output.WriteLine($"{resource} healthy after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        }
    }

    private static PointStruct Point(ulong id, float[] vector, string label) => new()
    {
        Id = id,
        Vectors = vector,
        Payload = { ["label"] = label },
    };

    private static (Uri Endpoint, string? Key) Parse(string connectionString)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return (new Uri((string)parts["Endpoint"]), parts.TryGetValue("Key", out var key) ? (string)key : null);
    }
}
