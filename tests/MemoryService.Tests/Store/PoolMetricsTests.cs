using System.Diagnostics.Metrics;
using System.Net;
using MemoryService.Memories;
using MemoryService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using QdrantPool;

namespace MemoryService.Tests.Store;

/// <summary>
/// After a known number of store operations, the pool's meter (read with a MeterListener) and GET /pool account for
/// every Qdrant call: one acquire and one release each, no lease left out.
/// </summary>
public sealed class PoolMetricsTests(PoolMetricsTests.Fixture fixture) : IClassFixture<PoolMetricsTests.Fixture>
{
    [Fact]
    public async Task Every_store_call_is_one_acquire_and_one_release_in_the_meter_and_in_GET_pool()
    {
        var pool = fixture.Services.GetRequiredService<IQdrantConnectionPool>();
        var meterFactory = fixture.Services.GetRequiredService<IMeterFactory>();
        long acquires = 0, releases = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this service's pool: other test classes run pools of their own in this process.
            if (instrument.Meter.Name == QdrantConnectionPool.TelemetryName && ReferenceEquals(instrument.Meter.Scope, meterFactory)
                && instrument.Name is "db.client.connection.wait_time" or "db.client.connection.use_time")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            if (instrument.Name == "db.client.connection.wait_time")
            {
                Interlocked.Increment(ref acquires);
            }
            else
            {
                Interlocked.Increment(ref releases);
            }
        });
        listener.Start();

        var before = pool.GetStats();
        Assert.Equal(0, before.ActiveLeases);
        var store = fixture.Store;
        var project = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await store.StoreAsync(MemoryValidator.Validate(new CreateMemoryRequest($"metric memory {i}", "fact", Project: project)))).Id); // 1 call
        }

        foreach (var id in ids)
        {
            Assert.NotNull(await store.GetAsync(id)); // 1 call
        }

        await store.StoreManyAsync(MemoryValidator.Validate(new CreateMemoriesRequest(
            [.. Enumerable.Range(0, 5).Select(i => new CreateMemoryRequest($"batch metric {i}", "event", Project: project))]))); // 1 call
        for (var i = 0; i < 4; i++)
        {
            await store.SearchAsync(new MemoryQuery("metric memory", 5, null, new MemoryFilter(Project: project))); // 1 call
            await store.ListAsync(new MemoryFilter(Project: project), 10); // 1 call
        }

        Assert.Equal(15, await store.CountAsync(new MemoryFilter(Project: project))); // 1 call
        Assert.True(await store.DeleteAsync(ids[0])); // 2 calls: get, delete
        Assert.NotNull(await store.UpdateAsync(ids[1], new MemoryPatch(Importance: 0.9))); // 2 calls: get, overwrite payload
        const int calls = 10 + 10 + 1 + 8 + 1 + 2 + 2;

        var after = pool.GetStats();
        listener.RecordObservableInstruments();
        Assert.Equal(calls, after.TotalAcquires - before.TotalAcquires);
        Assert.Equal(calls, after.TotalReleases - before.TotalReleases);
        Assert.Equal(calls, Interlocked.Read(ref acquires));
        Assert.Equal(calls, Interlocked.Read(ref releases));
        Assert.Equal(0, after.ActiveLeases);
        Assert.Equal(after.TotalAcquires, after.TotalReleases);

        using var client = fixture.CreateClient();
        var response = await client.GetAsync("/pool");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stats = await response.ReadAsync<PoolStats>();
        Assert.Equal(after.TotalAcquires, stats.TotalAcquires);
        Assert.Equal(after.TotalReleases, stats.TotalReleases);
        Assert.Equal(0, stats.ActiveLeases);
        Assert.Equal(MemoryServiceFixture.PoolMaxSize, stats.MaxSize);
    }

    public sealed class Fixture() : MemoryServiceFixture(usePool: true);
}
