using Microsoft.Extensions.Logging.Abstractions;
using PoolWorker.Benchmark;
using PoolWorker.Benchmark.Report;
using PoolWorker.Tests.Support;

namespace PoolWorker.Tests.Scenarios;

/// <summary>
/// A tiny run of every scenario and variant against the in-process emulator over real sockets (and scenario 6
/// against a stand-in of MemoryService's API): it checks the report's shape and bookkeeping, never the machine's speed.
/// </summary>
public sealed class SmokeRunTests : IAsyncLifetime
{
    private const int Iterations = 20;
    private const int Rounds = 2;
    private const int MaxSize = 2;

    private readonly BenchmarkEmulator _emulator = new();
    private readonly MemoryServiceStandIn _memoryService = new();
    private readonly string _output = Path.Combine(Path.GetTempPath(), "poolworker-smoke-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await _emulator.InitializeAsync();
        await _memoryService.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _memoryService.DisposeAsync();
        await _emulator.DisposeAsync();
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public async Task EveryScenarioAndVariant_RunsAndReportsWhatItDid()
    {
        var settings = new BenchmarkSettings
        {
            Endpoint = _emulator.Endpoint,
            ApiKey = BenchmarkEmulator.ApiKey,
            OutputFolder = _output,
            Iterations = Iterations,
            Rounds = Rounds,
            Clients = [1, 2, 3, 4],
            RecoveryClients = 3,
            SaturationDuration = TimeSpan.FromMilliseconds(300),
            WarmupOperations = 5,
            PoolMaxSize = MaxSize,
            SeedPoints = 300,
            VectorSize = 8,
            MemoryUrl = _memoryService.BaseAddress,
            MemoryKey = MemoryServiceStandIn.ApiKey,
        };
        var progress = new RecordingProgress();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var report = await new BenchmarkEngine(settings, progress, NullLoggerFactory.Instance, new EmulatorRestarter(_emulator)).RunAsync(timeout.Token);
        await ReportFiles.WriteAllAsync(report, _output, timeout.Token);

        // Scenarios 1-4 for both operations with all four variants, then recovery, then 3 × 2 end-to-end runs.
        var counted = report.Scenarios.Where(s => s.Number <= 4).ToList();
        Assert.Equal(8, counted.Count);
        Assert.All(counted, s => Assert.Equal(["pool-exclusive", "pool-shared", "singleton", "per-operation"], s.Variants.Select(v => v.Variant)));
        Assert.Equal(4 * 2 * 4 * Rounds + 1 + 6, progress.Completed.Count);
        foreach (var scenario in counted)
        {
            foreach (var v in scenario.Variants)
            {
                var where = $"{scenario.Name}/{scenario.Operation}/{v.Variant}: {string.Join("; ", v.Errors.Select(e => e.Kind + " " + e.FirstMessage))}";
                Assert.True(v.Failures == 0, where);
                if (scenario.Number < 4)
                {
                    Assert.Equal(Iterations * Rounds, v.Successes);
                }

                Assert.Equal(Rounds, v.RoundThroughputs.Count);
                Assert.Equal(v.Successes / v.DurationSeconds, v.Throughput, 0.1 + (v.Throughput * 1e-3));
                Assert.InRange(v.LatencyMs.Min, 0, v.LatencyMs.P50);
                Assert.InRange(v.LatencyMs.P95, v.LatencyMs.P50, v.LatencyMs.Max + 0.01);
                Assert.Equal(v.Variant.StartsWith("pool-", StringComparison.Ordinal), v.AcquireMs is not null);
                if (v.AcquireMs is not null)
                {
                    Assert.InRange(v.Connections.Peak, 1, MaxSize);
                }
            }
        }

        // The rotated order: each scenario's first round starts with a different variant.
        var firstOfEach = progress.Started.Where(l => l.Contains("round 1/", StringComparison.Ordinal) && l.Contains("· get ·", StringComparison.Ordinal))
            .Chunk(4).Select(chunk => chunk[0].Split(" · ")[2]).ToList();
        Assert.Equal(4, firstOfEach.Distinct().Count());

        var recovery = report.Scenarios.Single(s => s.Number == 5).Variants.Single();
        Assert.Equal(1, _emulator.Restarts);
        Assert.True(recovery.Recovery!.Recovered, System.Text.Json.JsonSerializer.Serialize(recovery.Recovery));
        Assert.True(recovery.Successes > 0);
        Assert.True(report.Criteria.Single(c => c.Name == "Automatic recovery").Passed);

        var endToEnd = report.Scenarios.Where(s => s.Number == 6).ToList();
        Assert.Equal([1, 1, 2, 2, 3, 3], endToEnd.Select(s => s.Clients));
        Assert.All(endToEnd, s => Assert.Equal(Iterations, s.Variants.Single().Successes));
        Assert.All(endToEnd, s => Assert.Equal(42, s.Variants.Single().MemoryServicePool!.Value.GetProperty("totalAcquires").GetInt32()));
        Assert.True(_memoryService.Searches >= 3 * Iterations);

        Assert.Empty(report.Skipped);
        Assert.DoesNotContain(report.Criteria, c => c.Passed is null && c.Name != "Automatic recovery");
        ReportSchema.AssertValid(await File.ReadAllTextAsync(Path.Combine(_output, ReportFiles.Json)));
        Assert.Contains("## Criteria", await File.ReadAllTextAsync(Path.Combine(_output, ReportFiles.Markdown)), StringComparison.Ordinal);
        foreach (var chart in new[] { ReportFiles.ThroughputChart, ReportFiles.LatencyChart })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(_output, chart));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
    }

    [Fact]
    public async Task WithoutRestarterOrMemoryService_ThoseScenariosAreSkippedSayingWhy()
    {
        var settings = new BenchmarkSettings
        {
            Endpoint = _emulator.Endpoint,
            ApiKey = BenchmarkEmulator.ApiKey,
            OutputFolder = _output,
            Iterations = 5,
            Rounds = 1,
            Scenarios = [ScenarioKind.Sequential, ScenarioKind.Recovery, ScenarioKind.EndToEnd],
            Variants = [VariantKind.PoolShared],
            Operations = [OperationKind.Get],
            WarmupOperations = 0,
            SeedPoints = 300,
            VectorSize = 8,
        };

        var report = await new BenchmarkEngine(settings, new RecordingProgress(), NullLoggerFactory.Instance, restarter: null).RunAsync(CancellationToken.None);

        Assert.Equal(["recovery", "end-to-end"], report.Skipped.Select(s => s.Name));
        Assert.Contains("--restart-command", report.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.Null(report.Criteria.Single(c => c.Name == "Automatic recovery").Passed);
        Assert.Single(report.Scenarios);
    }
}
