using PoolWorker.Benchmark.Report;

namespace PoolWorker.Tests.Support;

/// <summary>Hand-made results with round numbers, so the arithmetic on them is checkable by eye.</summary>
internal static class SampleReport
{
    public static VariantResult Variant(string name, double throughput, double p95 = 1, int peak = 1, double? acquireAvg = null, double acquireP95 = 0, long healthCheckFailures = 0, long operations = 1_000, double[]? rounds = null) => new(
        name,
        operations,
        0,
        operations / throughput,
        throughput,
        new LatencyMs(0.1, 0.5, p95, p95 * 2, p95 * 3, 0.6),
        acquireAvg is { } avg ? new AcquireMs(avg, acquireP95, acquireP95 * 2) : null,
        new ConnectionCounts(peak, peak),
        (double)healthCheckFailures / operations,
        30,
        healthCheckFailures * 10,
        healthCheckFailures,
        acquireAvg is null ? null : peak,
        acquireAvg is null ? null : new Dictionary<string, long>(),
        rounds ?? [throughput],
        [],
        null,
        null);

    /// <summary>Scenario 3 where every criterion passes: pool-shared 1,000 ops/s, singleton 1,000, per-operation 50.</summary>
    public static List<ScenarioResult> Passing(double poolThroughput = 1_000, double p95 = 2, int poolPeak = 5, double acquireAvg = 0.01, double acquireP95 = 0.05, long healthCheckFailures = 0) =>
    [
        new("high-concurrency", 3, 10, "get",
        [
            Variant("pool-exclusive", 800, peak: 5, acquireAvg: 0.2, acquireP95: 1),
            Variant("pool-shared", poolThroughput, p95, poolPeak, acquireAvg, acquireP95, healthCheckFailures, rounds: [poolThroughput * 0.98, poolThroughput * 1.02]),
            Variant("singleton", 1_000, rounds: [990, 1_010]),
            Variant("per-operation", 50, p95: 40),
        ]),
    ];

    public static BenchmarkReport Report(List<ScenarioResult> scenarios, List<SkippedScenario>? skipped = null)
    {
        skipped ??= [new SkippedScenario("recovery", "no --restart-command given")];
        var noise = ReportBuilder.Noise(scenarios, "get");
        var criteria = Criteria.Evaluate(scenarios, skipped, 5, noise, "get");
        return new BenchmarkReport(
            BenchmarkReport.CurrentSchemaVersion,
            new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
            "0123456789abcdef0123456789abcdef01234567",
            new MachineInfo(2, "Linux", ".NET 10.0", "X64", "test", [1, 2, 3], null),
            new SettingsInfo("http://127.0.0.1:6334/", "direct", true, 1_000, ["high-concurrency"], ["pool-exclusive", "pool-shared", "singleton", "per-operation"], ["get"], [1, 5, 10, 64], 10, 10, 200, 2, 5, 64, "poolworker-benchmark", 10_000, 64, 42, null, null),
            scenarios,
            skipped,
            ReportBuilder.Comparisons(scenarios),
            noise,
            criteria,
            criteria.All(c => c.Passed != false));
    }
}
