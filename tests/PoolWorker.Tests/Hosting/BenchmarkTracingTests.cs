using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PoolWorker.Benchmark;
using PoolWorker.Tests.Support;

namespace PoolWorker.Tests.Hosting;

/// <summary>A web-host benchmark run's traces: its calls are not children of the HTTP request that started it.</summary>
public sealed class BenchmarkTracingTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private ActivityListener? _listener;
    private PoolWorkerWebHost? _host;

    public async Task InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        _host = await PoolWorkerWebHost.StartAsync("poolworker-trace", ("PoolWorker:SteadyLoad:Enabled", "false"));
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
    public async Task PostBenchmark_RunsItsCallsInTracesOfTheirOwn_LinkedToTheRequest()
    {
        using var http = _host!.Factory.CreateClient();
        var requestTrace = ActivityTraceId.CreateRandom();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/benchmark")
        {
            Content = JsonContent.Create(new { iterations = 10, rounds = 1, warmup = 2, scenarios = "1,2", variants = "pool-shared,singleton", operations = "get" }),
        };
        post.Headers.Add("traceparent", $"00-{requestTrace}-{ActivitySpanId.CreateRandom()}-01");
        using var started = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var deadline = Stopwatch.GetTimestamp() + (long)(Patience.TotalSeconds * Stopwatch.Frequency);
        while ((await http.GetFromJsonAsync<JsonElement>("/benchmark/status")).GetProperty("running").GetBoolean())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, "the benchmark did not finish");
            await Task.Delay(50);
        }

        var ours = _stopped.ToArray();
        var inRequestTrace = ours.Where(a => a.TraceId == requestTrace && a.Source.Name != "Microsoft.AspNetCore").Select(a => $"{a.Source.Name}/{a.DisplayName}").Distinct().ToList();
        Assert.True(inRequestTrace.Count == 0, "in the request's trace: " + string.Join(", ", inRequestTrace));

        var run = Assert.Single(ours, a => a.Source.Name == BenchmarkTracing.SourceName && a.DisplayName == "benchmark run" && a.Links.Any(l => l.Context.TraceId == requestTrace));
        Assert.Equal(default, run.ParentSpanId);
        var scenarioRoots = ours.Where(a => a.Source.Name == BenchmarkTracing.SourceName && a.Links.Any(l => l.Context.SpanId == run.SpanId)).ToList();
        var ourRoots = ours.Where(a => a.Source.Name == BenchmarkTracing.SourceName).Select(a => $"{a.DisplayName} parent={a.ParentSpanId} links={string.Join(",", a.Links.Select(l => l.Context.SpanId))}");
        Assert.True(scenarioRoots.Count == 4, $"run {run.SpanId}: " + string.Join(" | ", ourRoots)); // 2 scenarios × 2 variants, one round
        Assert.All(scenarioRoots, root => Assert.Equal(default, root.ParentSpanId));
        Assert.Equal(4, scenarioRoots.Select(r => r.TraceId).Distinct().Count());
        Assert.All(scenarioRoots, root => Assert.Contains(ours, a => a.TraceId == root.TraceId && a.SpanId != root.SpanId));
    }
}
