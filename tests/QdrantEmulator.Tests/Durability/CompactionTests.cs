using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantEmulator.Hosting;

namespace QdrantEmulator.Tests.Durability;

/// <summary>The log is rewritten as a snapshot once it grows; the state read back is the same.</summary>
public sealed class CompactionTests
{
    [Fact]
    public async Task Upsert_LogPastThreshold_IsCompactedAndSurvivesRestart()
    {
        using var folder = new StorageFolder();
        var settings = new EmulatorSettings { GrpcPort = 0, HttpPort = 0, StoragePath = folder.Path, CompactionThresholdBytes = 4096 };
        await using (var emulator = await EmulatorHost.StartAsync(settings))
        {
            using var client = new QdrantClient(emulator.GrpcEndpoint);
            await client.CreateCollectionAsync("compact", new VectorParams { Size = 8, Distance = Distance.Euclid });
            for (var i = 0; i < 200; i++)
            {
                await client.UpsertAsync("compact", [new PointStruct { Id = (ulong)i, Vectors = Enumerable.Repeat((float)i, 8).ToArray(), Payload = { ["i"] = i } }]);
            }

            await client.DeleteAsync("compact", [0ul, 1ul]);
            Assert.True(new FileInfo(folder.WalPath).Length < 200 * 60, "the log should have been compacted while writing");
        }

        await using var restarted = await EmulatorHost.StartAsync(settings);
        using var reader = new QdrantClient(restarted.GrpcEndpoint);
        var point = Assert.Single(await reader.RetrieveAsync("compact", 199ul, withPayload: true, withVectors: true));

        Assert.Equal(198ul, await reader.CountAsync("compact"));
        Assert.Equal(199, point.Payload["i"].IntegerValue);
        Assert.Equal(Enumerable.Repeat(199f, 8), point.Vectors.Vector.Dense.Data);
    }

    [Fact]
    public async Task Start_SameFolderTwice_SecondIsRefused()
    {
        using var folder = new StorageFolder();
        await using var first = await EmulatorHost.StartAsync(new EmulatorSettings { GrpcPort = 0, HttpPort = 0, StoragePath = folder.Path });

        var error = await Assert.ThrowsAsync<IOException>(() =>
            EmulatorHost.StartAsync(new EmulatorSettings { GrpcPort = 0, HttpPort = 0, StoragePath = folder.Path }));

        Assert.Contains("in use by another emulator", error.Message);
    }
}
