using System.Globalization;

namespace PoolWorker.Benchmark.Report;

/// <summary>
/// The success criteria, judged on scenario 3 (10 clients) for the default pool variant (pool-shared) unless the
/// criterion says otherwise. A criterion whose scenario or variants did not run is not judged (<c>passed</c> null).
/// </summary>
internal static class Criteria
{
    public const double SingletonTolerance = 0.95;
    public const double P95LimitMs = 4;
    public const double AcquireAvgLimitMs = 1;
    public const double AcquireP95LimitMs = 5;
    public const double HealthCheckFailureLimit = 0.01;

    private const string Pool = "pool-shared";

    public static IReadOnlyList<CriterionResult> Evaluate(IReadOnlyList<ScenarioResult> scenarios, IReadOnlyList<SkippedScenario> skipped, int maxSize, NoiseInfo noise, string operation)
    {
        var s3 = scenarios.FirstOrDefault(s => s.Number == 3 && s.Operation == operation);
        var pool = s3?.Variants.FirstOrDefault(v => v.Variant == Pool);
        var singleton = s3?.Variants.FirstOrDefault(v => v.Variant == "singleton");
        var perOperation = s3?.Variants.FirstOrDefault(v => v.Variant == "per-operation");
        var where = $"scenario 3 ({s3?.Clients.ToString(CultureInfo.InvariantCulture) ?? "?"} clients, {operation})";
        var results = new List<CriterionResult>();

        results.Add(pool is null || perOperation is null
            ? NotJudged("Throughput ≥ the per-operation client", $"{where}: needs {Pool} and per-operation")
            : new CriterionResult(
                "Throughput ≥ the per-operation client",
                pool.Throughput >= perOperation.Throughput,
                F($"{where}: {Pool} {pool.Throughput:0} ops/s vs per-operation {perOperation.Throughput:0} ops/s ({Ratio(pool.Throughput, perOperation.Throughput)})")));

        var noiseText = noise.HighConcurrencySpread is { } spread ? F($"run-to-run noise measured in this scenario: {spread:P1}") : "run-to-run noise not measured (one round)";
        results.Add(pool is null || singleton is null
            ? NotJudged("Throughput ≥ 0.95 × the singleton client", $"{where}: needs {Pool} and singleton")
            : new CriterionResult(
                "Throughput ≥ 0.95 × the singleton client",
                pool.Throughput >= SingletonTolerance * singleton.Throughput,
                F($"{where}: {Pool} {pool.Throughput:0} ops/s vs singleton {singleton.Throughput:0} ops/s ({Ratio(pool.Throughput, singleton.Throughput)}; median of the round-by-round ratios {Median(pool, singleton)}); the 0.95 tolerance stands for the noise; {noiseText}")));

        results.Add(pool is null
            ? NotJudged("P95 latency ≤ 4 ms", $"{where}: needs {Pool}")
            : new CriterionResult("P95 latency ≤ 4 ms", pool.LatencyMs.P95 <= P95LimitMs, F($"{where}: {Pool} P95 {pool.LatencyMs.P95:0.###} ms")));

        var poolRuns = scenarios.SelectMany(s => s.Variants.Where(v => v.Variant.StartsWith("pool-", StringComparison.Ordinal)).Select(v => (Scenario: s, Variant: v))).ToList();
        if (poolRuns.Count == 0)
        {
            results.Add(NotJudged("Connections ≤ MaxSize in every scenario", "no pool variant ran"));
        }
        else
        {
            var worst = poolRuns.MaxBy(r => r.Variant.Connections.Peak);
            results.Add(new CriterionResult(
                "Connections ≤ MaxSize in every scenario",
                poolRuns.All(r => r.Variant.Connections.Peak <= maxSize),
                F($"peak {worst.Variant.Connections.Peak} TCP connections (counted by the OS) in {worst.Scenario.Name} / {worst.Scenario.Operation} / {worst.Variant.Variant}; MaxSize {maxSize}; {poolRuns.Count} pool runs")));
        }

        results.Add(pool?.AcquireMs is not { } acquire
            ? NotJudged("Acquire avg < 1 ms and P95 < 5 ms", $"{where}: needs {Pool}")
            : new CriterionResult(
                "Acquire avg < 1 ms and P95 < 5 ms",
                acquire.Avg < AcquireAvgLimitMs && acquire.P95 < AcquireP95LimitMs,
                F($"{where}: {Pool} acquire avg {acquire.Avg:0.####} ms, P95 {acquire.P95:0.####} ms, max {acquire.Max:0.###} ms")));

        results.Add(pool is null
            ? NotJudged("Health-check failures < 1 %", $"{where}: needs {Pool}")
            : new CriterionResult(
                "Health-check failures < 1 %",
                pool.HealthCheckFailureRate < HealthCheckFailureLimit,
                F($"{where}: {pool.HealthCheckFailures} failed of {pool.HealthChecks} checks over {pool.Successes + pool.Failures} operations ({pool.HealthCheckFailureRate:P2} of operations)")));

        var recovery = scenarios.FirstOrDefault(s => s.Number == 5)?.Variants.FirstOrDefault()?.Recovery;
        var recoverySkipped = skipped.FirstOrDefault(s => s.Name == "recovery");
        results.Add(recovery is null
            ? NotJudged("Automatic recovery", recoverySkipped?.Reason ?? "scenario 5 did not run")
            : new CriterionResult(
                "Automatic recovery",
                recovery.Recovered,
                F($"scenario 5: {recovery.FailedOperations} failed operations; first success {Seconds(recovery.TimeToFirstSuccessSeconds)} after the restart; every connection healthy after {Seconds(recovery.TimeToAllHealthySeconds)}; {recovery.BrokenConnections} broken, {recovery.ReplacementConnections} opened since")));

        return results;
    }

    private static CriterionResult NotJudged(string name, string why) => new(name, null, "not judged: " + why);

    private static string Ratio(double a, double b) => b > 0 ? F($"{a / b:0.00}×") : "no baseline";

    private static string Median(VariantResult a, VariantResult b) =>
        Running.Throughputs.MedianPairedRatio(a.RoundThroughputs, b.RoundThroughputs) is { } m ? F($"{m:0.00}×") : "n/a";

    private static string Seconds(double? value) => value is { } v ? F($"{v:0.00} s") : "never (within 60 s)";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
