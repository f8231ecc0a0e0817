using System.Collections.Concurrent;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Tests.Durability;

/// <summary>
/// Crash safety, against the built emulator in a child process: every acknowledged write survives a kill, and a torn
/// log tail costs only the torn record.
/// </summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Restart_AfterKillDuringConcurrentUpserts_FindsEveryAcknowledgedPoint()
    {
        using var folder = new StorageFolder();
        var acknowledged = new ConcurrentBag<ulong>();
        using (var emulator = await EmulatorProcess.StartAsync(folder.Path))
        {
            using var client = emulator.CreateClient();
            await client.CreateCollectionAsync("crash", new VectorParams { Size = 4, Distance = Distance.Cosine });

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; i < 10_000 && !stop.IsCancellationRequested; i++)
                {
                    var id = (ulong)(writer * 100_000 + i);
                    try
                    {
                        await client.UpsertAsync("crash", [new PointStruct { Id = id, Vectors = new[] { 1f, writer, i, 1f }, Payload = { ["writer"] = writer } }]);
                        acknowledged.Add(id);
                    }
                    catch (global::Grpc.Core.RpcException)
                    {
                        return; // The process was killed mid-call: this write was never acknowledged.
                    }
                }
            })).ToArray();

            await WaitUntilAsync(() => acknowledged.Count >= 300, TimeSpan.FromSeconds(60));
            emulator.Kill();
            stop.Cancel();
            await Task.WhenAll(writers);
        }

        using var restarted = await EmulatorProcess.StartAsync(folder.Path);
        using var reader = restarted.CreateClient();
        var ids = acknowledged.ToList();
        var found = new HashSet<ulong>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var point in await reader.RetrieveAsync("crash", chunk.Select(id => new PointId { Num = id }).ToList()))
            {
                found.Add(point.Id.Num);
            }
        }

        var lost = ids.Where(id => !found.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {ids.Count} acknowledged points were lost, e.g. {string.Join(", ", lost.Take(5))}");
        Assert.True(await reader.CountAsync("crash") >= (ulong)ids.Count);
    }

    [Fact]
    public async Task Restart_AfterGarbageAppendedToLog_KeepsAllCompleteRecords()
    {
        using var folder = new StorageFolder();
        await WriteSeparatePointsAndKillAsync(folder, count: 10);

        // A length prefix promising more than the file holds, then noise: what a write cut short leaves behind.
        await using (var wal = new FileStream(folder.WalPath, FileMode.Append))
        {
            wal.Write([0x00, 0x10, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF, 0x04, 0x01, 0x02]);
        }

        using (var restarted = await EmulatorProcess.StartAsync(folder.Path))
        {
            using var client = restarted.CreateClient();
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), await IdsAsync(client));
            Assert.Contains("ignored", restarted.Output, StringComparison.Ordinal);

            // New writes after the torn tail must survive the next crash too: the garbage was cut off, not appended to.
            await client.UpsertAsync("points", [new PointStruct { Id = 11, Vectors = new[] { 1f, 1f, 1f, 1f } }]);
            restarted.Kill();
        }

        using var again = await EmulatorProcess.StartAsync(folder.Path);
        using var reader = again.CreateClient();
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (ulong)i), await IdsAsync(reader));
    }

    [Fact]
    public async Task Restart_AfterLastRecordTruncated_KeepsTheRecordsBeforeIt()
    {
        using var folder = new StorageFolder();
        await WriteSeparatePointsAndKillAsync(folder, count: 5);
        await using (var wal = new FileStream(folder.WalPath, FileMode.Open))
        {
            wal.SetLength(wal.Length - 3);
        }

        using var restarted = await EmulatorProcess.StartAsync(folder.Path);
        using var client = restarted.CreateClient();

        Assert.Equal(Enumerable.Range(1, 4).Select(i => (ulong)i), await IdsAsync(client));
    }

    [Fact]
    public async Task Restart_AfterKill_KeepsCollectionsTheirSettingsAndPayloadChanges()
    {
        using var folder = new StorageFolder();
        using (var emulator = await EmulatorProcess.StartAsync(folder.Path))
        {
            using var client = emulator.CreateClient();
            var map = new VectorParamsMap();
            map.Map.Add("text", new VectorParams { Size = 3, Distance = Distance.Dot });
            map.Map.Add("image", new VectorParams { Size = 2, Distance = Distance.Manhattan });
            await client.CreateCollectionAsync("named", map);
            await client.CreateCollectionAsync("doomed", new VectorParams { Size = 2, Distance = Distance.Euclid });
            await client.UpdateCollectionAsync("named", optimizersConfig: new OptimizersConfigDiff { IndexingThreshold = 777 });
            await client.CreatePayloadIndexAsync("named", "kind", PayloadSchemaType.Integer);
            await client.UpsertAsync("named", [new PointStruct
            {
                Id = Guid.Parse("6f1c3a4e-0000-4000-8000-000000000001"),
                Vectors = new Dictionary<string, float[]> { ["text"] = [1f, 2f, 3f], ["image"] = [4f, 5f] },
                Payload = { ["kind"] = 1, ["drop"] = "me" },
            }]);
            await client.SetPayloadAsync("named", new Dictionary<string, Value> { ["added"] = true }, Guid.Parse("6f1c3a4e-0000-4000-8000-000000000001"));
            await client.DeletePayloadAsync("named", ["drop"], Guid.Parse("6f1c3a4e-0000-4000-8000-000000000001"));
            await client.DeleteCollectionAsync("doomed");
            emulator.Kill();
        }

        using var restarted = await EmulatorProcess.StartAsync(folder.Path);
        using var reader = restarted.CreateClient();
        var info = await reader.GetCollectionInfoAsync("named");
        var point = Assert.Single(await reader.RetrieveAsync("named", Guid.Parse("6f1c3a4e-0000-4000-8000-000000000001"), withPayload: true, withVectors: true));

        Assert.Equal(["named"], await reader.ListCollectionsAsync());
        Assert.Equal(Distance.Manhattan, info.Config.Params.VectorsConfig.ParamsMap.Map["image"].Distance);
        Assert.Equal(777ul, info.Config.OptimizerConfig.IndexingThreshold);
        Assert.Equal(PayloadSchemaType.Integer, info.PayloadSchema["kind"].DataType);
        Assert.Equal(["added", "kind"], point.Payload.Keys.Order());
        Assert.Equal([4f, 5f], point.Vectors.Vectors.Vectors["image"].Dense.Data);
    }

    [Fact]
    public async Task Restart_Twice_ReadsStateBackFromCompactedSnapshot()
    {
        using var folder = new StorageFolder();
        await WriteSeparatePointsAndKillAsync(folder, count: 3);

        using (var first = await EmulatorProcess.StartAsync(folder.Path))
        {
            // Start-up compaction moved everything into the snapshot and emptied the log.
            Assert.Equal(0, new FileInfo(folder.WalPath).Length);
            first.Kill();
        }

        using var second = await EmulatorProcess.StartAsync(folder.Path);
        using var client = second.CreateClient();
        Assert.Equal([1ul, 2ul, 3ul], await IdsAsync(client));
    }

    private static async Task WriteSeparatePointsAndKillAsync(StorageFolder folder, int count)
    {
        using var emulator = await EmulatorProcess.StartAsync(folder.Path);
        using var client = emulator.CreateClient();
        await client.CreateCollectionAsync("points", new VectorParams { Size = 4, Distance = Distance.Dot });
        for (var i = 1; i <= count; i++)
        {
            await client.UpsertAsync("points", [new PointStruct { Id = (ulong)i, Vectors = new[] { i, 0f, 0f, 1f }, Payload = { ["i"] = i } }]);
        }

        emulator.Kill();
    }

    private static async Task<List<ulong>> IdsAsync(Qdrant.Client.QdrantClient client) =>
        (await client.ScrollAsync("points", limit: 1000)).Result.Select(point => point.Id.Num).ToList();

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }
}
