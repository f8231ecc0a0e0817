using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantEmulator.Hosting;

namespace QdrantEmulator.Tests.Durability;

/// <summary>Concurrent writers share flushes. In-process, because it reads the writer's flush counter.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task Upsert_ManyConcurrentWriters_ShareFlushes()
    {
        using var folder = new StorageFolder();
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorSettings { GrpcPort = 0, HttpPort = 0, StoragePath = folder.Path });
        using var client = new QdrantClient(emulator.GrpcEndpoint);
        await client.CreateCollectionAsync("group", new VectorParams { Size = 2, Distance = Distance.Dot });
        var flushesBefore = emulator.Engine.Writes.FlushCount;
        const int writes = 200;

        await Task.WhenAll(Enumerable.Range(0, writes).Select(i =>
            client.UpsertAsync("group", [new PointStruct { Id = (ulong)i, Vectors = new[] { 1f, i } }])));

        var flushes = emulator.Engine.Writes.FlushCount - flushesBefore;
        Assert.Equal((ulong)writes, await client.CountAsync("group"));
        Assert.InRange(flushes, 1, writes - 1);
    }

    [Fact]
    public async Task Upsert_Acknowledged_IsInTheLogBeforeTheAnswer()
    {
        using var folder = new StorageFolder();
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorSettings { GrpcPort = 0, HttpPort = 0, StoragePath = folder.Path });
        using var client = new QdrantClient(emulator.GrpcEndpoint);
        await client.CreateCollectionAsync("logged", new VectorParams { Size = 2, Distance = Distance.Dot });
        var before = new FileInfo(folder.WalPath).Length;

        await client.UpsertAsync("logged", [new PointStruct { Id = 1, Vectors = new[] { 1f, 2f } }], wait: false);

        Assert.True(new FileInfo(folder.WalPath).Length > before, "an acknowledged write must already be in the log");
    }
}
