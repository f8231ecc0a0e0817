using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PoolWorker.Tests.Support;

namespace PoolWorker.Tests.Hosting;

/// <summary>
/// The pool metrics of the web host (the steady load's DI pool and a benchmark run's pools, side by side): a chart of
/// <c>db.client.connection.count</c> split by <c>db.client.connection.pool.name</c> must show each pool alone, or two
/// pools' connections add up in one series (the dashboard's 5-and-10 question).
/// </summary>
public sealed class PoolNameTagTests : IAsyncLifetime
{
    private const string PoolNameTag = "db.client.connection.pool.name";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Instrument, byte>> _instrumentsByPool = new();
    private MeterListener? _listener;
    private IMeterFactory? _hostMeters;
    private PoolWorkerWebHost? _host;

    public async Task InitializeAsync()
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // This host's DI pool (its meter comes from the host's factory) and the benchmark's pools (own meters);
                // other test classes' web hosts run in the same process with DI pools of the same name.
                if (instrument.Meter.Name == QdrantPool.QdrantConnectionPool.TelemetryName && instrument.Name == "db.client.connection.count"
                    && (instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, _hostMeters)))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<int>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == PoolNameTag && tag.Value is string name)
                {
                    _instrumentsByPool.GetOrAdd(name, _ => new()).TryAdd(instrument, 0);
                }
            }
        });
        _host = await PoolWorkerWebHost.StartAsync("poolworker-names", ("PoolWorker:SteadyLoad:OperationsPerSecond", "50"));
        _hostMeters = _host.Factory.Services.GetRequiredService<IMeterFactory>();
        _listener.Start();
    }

    public async Task DisposeAsync()
    {
        _listener?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConnectionCount_OfEveryPoolInTheWebHost_IsReportedUnderAPoolNameNoOtherPoolUses()
    {
        using var http = _host!.Factory.CreateClient();
        var request = new { iterations = 200, rounds = 1, warmup = 2, scenarios = "1,2", variants = "pool-shared,pool-exclusive", operations = "get" };
        using var started = await http.PostAsJsonAsync("/benchmark", request);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        // Observable instruments report when collected, as an exporter collects them: collect through the run.
        var deadline = Stopwatch.GetTimestamp() + (long)(Patience.TotalSeconds * Stopwatch.Frequency);
        do
        {
            _listener!.RecordObservableInstruments();
            Assert.True(Stopwatch.GetTimestamp() < deadline, "the benchmark did not finish");
            await Task.Delay(5);
        }
        while ((await http.GetFromJsonAsync<JsonElement>("/benchmark/status")).GetProperty("running").GetBoolean());

        _listener!.RecordObservableInstruments();
        Assert.Contains("qdrant", _instrumentsByPool.Keys);
        Assert.True(_instrumentsByPool.Count >= 3, "pools seen: " + string.Join(", ", _instrumentsByPool.Keys));

        // One instrument per pool name: two pools under one name would be two instruments reporting the same series.
        var shared = _instrumentsByPool.Where(p => p.Value.Count > 1).Select(p => $"{p.Key} ({p.Value.Count} pools)").ToList();
        Assert.True(shared.Count == 0, "pool names reported by more than one pool: " + string.Join(", ", shared));
    }
}
