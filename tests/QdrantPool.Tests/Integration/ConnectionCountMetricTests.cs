using System.Diagnostics.Metrics;

namespace QdrantPool.Tests.Integration;

/// <summary><c>db.client.connection.count</c> against the sockets the operating system sees, on a pool that is only health-checked.</summary>
[Collection(EmulatorCollection.Name)]
public class ConnectionCountMetricTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task ConnectionCount_IdlePoolUnderHealthAndDeepChecks_EqualsTheSocketsTheOperatingSystemCounts()
    {
        Assert.True(TcpConnectionCounter.IsSupported, "Counting TCP connections needs Linux /proc.");
        var port = emulator.Endpoint.Port;
        var before = TcpConnectionCounter.CountEstablishedTo(port);

        // An idle service: MinSize 1, warmed up, its /health probed now and then, deep checks every second.
        await using var pool = new QdrantConnectionPool(emulator.Options(o =>
        {
            o.MinSize = 1;
            o.HealthCheckInterval = TimeSpan.FromSeconds(1);
            o.ValidationBypassWindow = TimeSpan.Zero;
        }));
        await pool.InitializeAsync(CancellationToken.None);
        var deepChecksBefore = 0L;
        using var listener = CountDeepChecks(pool.Name, () => Interlocked.Increment(ref deepChecksBefore));

        // Health probes overlapping the deep checks, for at least three deep checks.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Interlocked.Read(ref deepChecksBefore) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => pool.CheckHealthAsync(CancellationToken.None)));
            listener.RecordObservableInstruments();
        }

        Assert.True(Interlocked.Read(ref deepChecksBefore) >= 3, "fewer than three deep checks ran");
        var (idle, used) = ObserveConnectionCount(pool.Name);
        var sockets = TcpConnectionCounter.CountEstablishedTo(port) - before;
        // One connection, as warm-up said, and the metric says what the operating system says.
        Assert.Equal((1, 1), (idle + used, sockets));
    }

    private static MeterListener CountDeepChecks(string poolName, Action onDeepCheck)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == QdrantConnectionPool.TelemetryName && instrument.Name == "qdrant.pool.health_checks")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? pool = null, tier = null;
            foreach (var tag in tags)
            {
                pool = tag.Key == "db.client.connection.pool.name" ? tag.Value as string : pool;
                tier = tag.Key == "qdrant.pool.health_check.tier" ? tag.Value as string : tier;
            }

            if (pool == poolName && tier == "deep")
            {
                onDeepCheck();
            }
        });
        listener.Start();
        return listener;
    }

    private static (int Idle, int Used) ObserveConnectionCount(string poolName)
    {
        int idle = 0, used = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == QdrantConnectionPool.TelemetryName && instrument.Name == "db.client.connection.count")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            string? pool = null, state = null;
            foreach (var tag in tags)
            {
                pool = tag.Key == "db.client.connection.pool.name" ? tag.Value as string : pool;
                state = tag.Key == "db.client.connection.state" ? tag.Value as string : state;
            }

            if (pool == poolName)
            {
                idle += state == "idle" ? value : 0;
                used += state == "used" ? value : 0;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return (idle, used);
    }
}
