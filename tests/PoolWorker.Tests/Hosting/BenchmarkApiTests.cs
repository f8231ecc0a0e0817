using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PoolWorker.Benchmark.Report;
using PoolWorker.Tests.Support;
using QdrantPool;

namespace PoolWorker.Tests.Hosting;

/// <summary>PoolWorker as a web host over the in-process emulator: the steady load moves the pool, POST /benchmark runs in the background, /benchmark/latest serves the report.</summary>
public sealed class BenchmarkApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private PoolWorkerWebHost? _host;

    public async Task InitializeAsync()
    {
        _host = await PoolWorkerWebHost.StartAsync("poolworker-web", ("PoolWorker:SteadyLoad:OperationsPerSecond", "50"));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task SteadyLoadRuns_ThenPostBenchmarkRunsInTheBackground_AndLatestServesItsReport()
    {
        using var http = _host!.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/benchmark/latest")).StatusCode);

        var pool = _host.Factory.Services.GetRequiredService<IQdrantConnectionPool>();
        await WaitUntilAsync(() => Task.FromResult(pool.GetStats().TotalAcquires > 20), "the steady load to borrow from the pool");

        var request = new { iterations = 10, rounds = 1, warmup = 2, durationSeconds = 0.2, clients = "1,2,2,3", scenarios = "1,2,3,4,5", operations = "get" };
        using var started = await http.PostAsJsonAsync("/benchmark", request);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        using var second = await http.PostAsJsonAsync("/benchmark", request);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        await WaitUntilAsync(
            async () => !(await http.GetFromJsonAsync<JsonElement>("/benchmark/status")).GetProperty("running").GetBoolean(),
            "the benchmark to finish");

        var status = await http.GetFromJsonAsync<JsonElement>("/benchmark/status");
        Assert.Equal(JsonValueKind.Null, status.GetProperty("error").ValueKind);
        var json = await http.GetStringAsync("/benchmark/latest");
        ReportSchema.AssertValid(json);
        var report = JsonReport.Deserialize(json)!;
        Assert.Equal(4, report.Scenarios.Count);
        Assert.All(report.Scenarios.Where(s => s.Number < 4), s => Assert.All(s.Variants, v => Assert.Equal(10, v.Successes)));
        Assert.Contains("AppHost", report.Skipped.Single(s => s.Name == "recovery").Reason, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:qdrant", report.Settings.EndpointNote, StringComparison.Ordinal);

        using var chart = await http.GetAsync("/benchmark/latest/throughput.png");
        Assert.Equal("image/png", chart.Content.Headers.ContentType?.MediaType);
        Assert.Equal((byte)'P', (await chart.Content.ReadAsByteArrayAsync())[1]);
    }

    [Fact]
    public async Task PostBenchmark_WithAnUnknownVariant_Answers400NamingIt()
    {
        using var http = _host!.Factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/benchmark", new { variants = "pooled" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unknown variant 'pooled'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Patience.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"Waited {Patience.TotalSeconds} s for {what}.");
            await Task.Delay(50);
        }
    }
}
