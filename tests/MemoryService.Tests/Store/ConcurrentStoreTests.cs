using System.Collections.Concurrent;
using MemoryService.Memories;
using MemoryService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryService.Tests.Store;

/// <summary>
/// 32 concurrent writers and readers through the store: every write found afterwards, counts exact, and (with the
/// pool) never more than MaxSize sockets to Qdrant, counted from the operating system. Run with and without the pool.
/// </summary>
public abstract class ConcurrentStoreTests(MemoryServiceFixture fixture)
{
    private const int Workers = 32;
    private const int WritesPerWorker = 15;

    [Fact]
    public async Task Thirty_two_concurrent_writers_and_readers_lose_nothing_and_stay_within_MaxSize_sockets()
    {
        var store = fixture.Store;
        var tag = "c" + Guid.NewGuid().ToString("N")[..10];
        var written = new ConcurrentBag<Guid>();
        var maxSockets = 0;
        IReadOnlyList<string> peakEnds = [];
        using var stop = new CancellationTokenSource();

        // Samples the sockets this process holds to the emulator's gRPC port while the workers run.
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (TcpConnectionCounter.IsSupported)
                {
                    var ends = TcpConnectionCounter.EstablishedTo(fixture.QdrantPort);
                    if (ends.Count > Volatile.Read(ref maxSockets))
                    {
                        peakEnds = ends;
                    }

                    InterlockedMax(ref maxSockets, ends.Count);
                }

                await Task.Yield();
            }
        });

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            await start.Task;
            var project = $"{tag}-w{worker}";
            for (var i = 0; i < WritesPerWorker; i++)
            {
                var memory = await store.StoreAsync(MemoryValidator.Validate(new CreateMemoryRequest(
                    $"worker {worker} memory {i} about {(i % 2 == 0 ? "coffee" : "tea")}", "fact", Project: project, Tags: [tag])));
                written.Add(memory.Id);

                // Read your own write, then read around it: another worker's writes are landing meanwhile.
                Assert.NotNull(await store.GetAsync(memory.Id));
                Assert.Equal(i + 1, await store.CountAsync(new MemoryFilter(Project: project)));
                var hits = await store.SearchAsync(new MemoryQuery($"worker {worker} memory {i}", 5, null, new MemoryFilter(Project: project)));
                Assert.Contains(hits, hit => hit.Memory.Id == memory.Id);
            }
        })).ToArray();

        start.SetResult();
        try
        {
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3));
        }
        finally
        {
            await stop.CancelAsync();
            await sampler;
        }

        Assert.Equal(Workers * WritesPerWorker, written.Count);
        Assert.Equal(Workers * WritesPerWorker, await store.CountAsync(new MemoryFilter(TagsAll: [tag])));
        var listed = new HashSet<Guid>();
        string? cursor = null;
        do
        {
            var page = await store.ListAsync(new MemoryFilter(TagsAll: [tag]), MemoryRules.MaxListLimit, cursor);
            listed.UnionWith(page.Items.Select(m => m.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.True(listed.SetEquals(written), "every acknowledged write is listed, and nothing else");
        if (fixture.UsePool && TcpConnectionCounter.IsSupported)
        {
            var stats = fixture.Services.GetRequiredService<QdrantPool.IQdrantConnectionPool>().GetStats();
            Assert.True(maxSockets >= 1 && maxSockets <= MemoryServiceFixture.PoolMaxSize,
                $"{maxSockets} sockets to Qdrant at most, MaxSize {MemoryServiceFixture.PoolMaxSize}; pool: {stats}; at the peak: {string.Join(", ", peakEnds)}");
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

public sealed class ConcurrencyPooledFixture() : MemoryServiceFixture(usePool: true);

public sealed class ConcurrencySharedClientFixture() : MemoryServiceFixture(usePool: false);

public sealed class ConcurrentStoreTests_WithPool(ConcurrencyPooledFixture fixture)
    : ConcurrentStoreTests(fixture), IClassFixture<ConcurrencyPooledFixture>;

public sealed class ConcurrentStoreTests_WithoutPool(ConcurrencySharedClientFixture fixture)
    : ConcurrentStoreTests(fixture), IClassFixture<ConcurrencySharedClientFixture>;
