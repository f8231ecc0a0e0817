using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Qdrant.Client.Grpc;
using QdrantPool.Client;
using QdrantPool.Tests.Integration;

namespace QdrantPool.Tests.Telemetry;

/// <summary>Each call through the pool is a client span after OpenTelemetry's database conventions (real channels, the emulator).</summary>
[Collection(EmulatorCollection.Name)]
public sealed class CallTracingTests(EmulatorFixture emulator) : IDisposable
{
    private const string TestSourceName = "QdrantPool.Tests.CallTracing";
    private readonly ActivitySource _testSource = new(TestSourceName);
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener = new();
    private bool _httpToo;

    public void Dispose()
    {
        _listener.Dispose();
        _testSource.Dispose();
    }

    [Fact]
    public async Task PooledClient_Search_ClientSpanNamedByOperationAndCollection()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options());
        using var client = QdrantPooledClientFactory.Create(pool);
        var collection = await CreateCollectionAsync(pool);

        // Search is obsolete in Qdrant.Client in favour of Query, but it is the example and still served.
#pragma warning disable CS0618
        var spans = await TraceAsync(() => client.SearchAsync(collection, new[] { 1f, 0f, 0f, 0f }, limit: 3));
#pragma warning restore CS0618

        var span = Assert.Single(spans);
        Assert.Equal($"Search {collection}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("qdrant", span.GetTagItem("db.system.name"));
        Assert.Equal("Search", span.GetTagItem("db.operation.name"));
        Assert.Equal(collection, span.GetTagItem("db.collection.name"));
        Assert.Equal(emulator.Endpoint.Host, span.GetTagItem("server.address"));
        Assert.Equal(emulator.Endpoint.Port, span.GetTagItem("server.port"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task ExecuteAsync_Call_ClientSpanWithTheAcquireWaitAsAnEvent()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options());
        var collection = await CreateCollectionAsync(pool);

        var spans = await TraceAsync(() => pool.ExecuteAsync((client, ct) => client.CountAsync(collection, cancellationToken: ct), idempotent: true));

        var span = Assert.Single(spans);
        Assert.Equal($"Count {collection}", span.DisplayName);
        var acquired = Assert.Single(span.Events, e => e.Name == "qdrant.pool.acquired");
        Assert.IsType<double>(acquired.Tags.Single(t => t.Key == "qdrant.pool.acquire.wait_ms").Value);
    }

    [Fact]
    public async Task Call_WithoutCollection_SpanNamedByOperationOnly()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options());
        using var client = QdrantPooledClientFactory.Create(pool);

        var spans = await TraceAsync(() => client.ListCollectionsAsync());

        var span = Assert.Single(spans);
        Assert.Equal("List", span.DisplayName);
        Assert.Null(span.GetTagItem("db.collection.name"));
    }

    [Fact]
    public async Task Call_Fails_SpanStatusErrorWithTheGrpcCode()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options());
        using var client = QdrantPooledClientFactory.Create(pool);

        var spans = await TraceAsync(async () => await Assert.ThrowsAnyAsync<Exception>(() => client.GetCollectionInfoAsync("no_such_collection")));

        var span = Assert.Single(spans);
        Assert.Equal("Get no_such_collection", span.DisplayName);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(nameof(StatusCode.NotFound), span.GetTagItem("error.type"));
        Assert.Equal(((int)StatusCode.NotFound).ToString(), span.GetTagItem("db.response.status_code"));
    }

    [Fact]
    public async Task Call_WithPayloadAndKey_NeitherAppearsInTheSpan()
    {
        const string Secret = "payload-text-that-must-not-leak";
        await using var pool = new QdrantConnectionPool(emulator.Options());
        using var client = QdrantPooledClientFactory.Create(pool);
        var collection = await CreateCollectionAsync(pool);

        var spans = await TraceAsync(() => client.UpsertAsync(collection, [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f, 0f }, Payload = { ["text"] = Secret } }]));

        var span = Assert.Single(spans);
        var everything = string.Join("|", span.TagObjects.Select(t => $"{t.Key}={t.Value}").Concat(span.Events.Select(e => e.Name)).Append(span.DisplayName).Append(span.StatusDescription));
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(EmulatorFixture.ApiKey, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_HttpClientSpanUnderneath_IsUnderTheQdrantSpan()
    {
        _httpToo = true;
        await using var pool = new QdrantConnectionPool(emulator.Options());
        using var client = QdrantPooledClientFactory.Create(pool);

        var spans = await TraceAsync(() => client.ListCollectionsAsync());

        var qdrant = Assert.Single(spans);
        // The POST sits under grpc-dotnet's own call span (Grpc.Net.Client), which sits under the Qdrant span.
        var post = Assert.Single(_stopped, a => a.Source.Name == "System.Net.Http" && a.TraceId == qdrant.TraceId);
        var ancestors = new List<string>();
        for (var id = post.ParentSpanId; _stopped.FirstOrDefault(a => a.SpanId == id) is { } parent; id = parent.ParentSpanId)
        {
            ancestors.Add(parent.DisplayName);
        }

        Assert.Contains(qdrant.DisplayName, ancestors);
    }

    [Fact]
    public async Task HealthChecks_MediumCheckOnAcquireAndHealthCheck_NoCallSpans()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options(o => o.ValidationBypassWindow = TimeSpan.Zero));
        await pool.InitializeAsync(CancellationToken.None);
        using var mediumChecks = new HealthCheckCounter(pool, QdrantConnectionPool.MediumTier);

        var spans = await TraceAsync(async () =>
        {
            await using (var lease = await pool.AcquireAsync())
            {
            }

            await pool.CheckHealthAsync(CancellationToken.None);
        });

        Assert.True(mediumChecks.Count >= 1, "the acquire ran no medium check, so the test proves nothing");
        Assert.Empty(spans);
    }

    [Fact]
    public async Task HealthChecks_DeepCheckFromHousekeeping_NoCallSpans()
    {
        var time = new FakeTimeProvider();
        await using var pool = new QdrantConnectionPool(emulator.Options(o => o.MinSize = 1), null, null, time);
        await pool.InitializeAsync(CancellationToken.None);
        using var deepChecks = new HealthCheckCounter(pool, QdrantConnectionPool.DeepTier);

        // Fake time runs housekeeping on this thread, under the test's parent span: a traced check would show. 80 s
        // reaches the first deep check whatever its jitter (60 s ± 10 %).
        var spans = await TraceAsync(async () =>
        {
            time.Advance(TimeSpan.FromSeconds(80));
            await pool.DeepChecks;
        });

        Assert.True(deepChecks.Count >= 1, "no deep check ran, so the test proves nothing");
        Assert.Empty(spans);
    }

    [Fact]
    public async Task Call_NobodyListening_NoSpanAndTheCallWorks()
    {
        await using var pool = new QdrantConnectionPool(emulator.Options());
        using var client = QdrantPooledClientFactory.Create(pool);

        Assert.NotNull(await client.ListCollectionsAsync());
    }

    private async Task<string> CreateCollectionAsync(QdrantConnectionPool pool)
    {
        var collection = "traced_" + Guid.NewGuid().ToString("N")[..8];
        await pool.ExecuteAsync((client, ct) => client.CreateCollectionAsync(collection, new VectorParams { Size = 4, Distance = Distance.Cosine }, cancellationToken: ct), idempotent: false);
        return collection;
    }

    /// <summary>The pool's spans under a parent of this test's own, so spans of tests running in parallel are left out.</summary>
    private async Task<List<Activity>> TraceAsync(Func<Task> call)
    {
        _listener.ShouldListenTo = source => source.Name is QdrantConnectionPool.TelemetryName or TestSourceName || (_httpToo && source.Name is "System.Net.Http" or "Grpc.Net.Client");
        _listener.Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded;
        _listener.ActivityStopped = _stopped.Enqueue;
        ActivitySource.AddActivityListener(_listener);

        ActivityTraceId trace;
        using (var parent = _testSource.StartActivity("test")!)
        {
            trace = parent.TraceId;
            await call();
        }

        return _stopped.Where(a => a.TraceId == trace && a.Source.Name == QdrantConnectionPool.TelemetryName && a.Kind == ActivityKind.Client).ToList();
    }

    /// <summary>Counts one pool's health checks of one tier, from its metric.</summary>
    private sealed class HealthCheckCounter : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _meters = new();
        private int _count;

        public HealthCheckCounter(QdrantConnectionPool pool, string tier)
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == QdrantConnectionPool.TelemetryName && instrument.Name == "qdrant.pool.health_checks")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                if (tags.ToArray().Any(t => Equals(t.Value, pool.Name)) && tags.ToArray().Any(t => Equals(t.Value, tier)))
                {
                    Interlocked.Increment(ref _count);
                }
            });
            _meters.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _meters.Dispose();
    }
}
