using PoolWorker.Benchmark.Running;

namespace PoolWorker.Benchmark.Report;

/// <summary>Turns measurements into the report's records; the comparisons and the noise figure.</summary>
internal static class ReportBuilder
{
    public static VariantResult Variant(string name, RunMeasurement m, bool isPool) => new(
        name,
        m.Successes,
        m.Failures,
        Round(m.DurationSeconds, 6),
        Round(m.Throughput, 1),
        new LatencyMs(Ms(m.Latency.MinMs), Ms(m.Latency.PercentileMs(50)), Ms(m.Latency.PercentileMs(95)), Ms(m.Latency.PercentileMs(99)), Ms(m.Latency.MaxMs), Ms(m.Latency.MeanMs)),
        isPool && m.Acquire is { } acquire ? new AcquireMs(Ms(acquire.MeanMs), Ms(acquire.PercentileMs(95)), Ms(acquire.MaxMs)) : null,
        new ConnectionCounts(m.PeakConnections, m.EndConnections),
        Round(Throughputs.FailureRate(m.HealthCheckFailures, m.Successes + m.Failures), 6),
        Round(m.CpuPerOperationMicroseconds, 1),
        m.HealthChecks,
        m.HealthCheckFailures,
        isPool ? m.ConnectionsCreated : null,
        isPool ? new SortedDictionary<string, long>(m.Recycled, StringComparer.Ordinal) : null,
        m.RoundThroughputs.Select(t => Round(t, 1)).ToList(),
        m.Errors.Kinds.Select(k => new ErrorSummary(k.Kind, k.Count, k.FirstMessage)).ToList(),
        null,
        null);

    /// <summary>Each pool variant against each baseline (and shared against exclusive leases), for every scenario that has both.</summary>
    public static IReadOnlyList<ComparisonResult> Comparisons(IReadOnlyList<ScenarioResult> scenarios)
    {
        var pairs = new (string Pool, string Baseline)[]
        {
            ("pool-shared", "singleton"), ("pool-shared", "per-operation"), ("pool-shared", "pool-exclusive"),
            ("pool-exclusive", "singleton"), ("pool-exclusive", "per-operation"),
        };
        var comparisons = new List<ComparisonResult>();
        foreach (var scenario in scenarios)
        {
            foreach (var (poolName, baselineName) in pairs)
            {
                var pool = scenario.Variants.FirstOrDefault(v => v.Variant == poolName);
                var baseline = scenario.Variants.FirstOrDefault(v => v.Variant == baselineName);
                if (pool is null || baseline is null)
                {
                    continue;
                }

                comparisons.Add(new ComparisonResult(
                    scenario.Name, scenario.Clients, scenario.Operation, poolName, baselineName,
                    RoundOrNull(Throughputs.Ratio(pool.Throughput, baseline.Throughput)),
                    RoundOrNull(Throughputs.Ratio(pool.LatencyMs.P95, baseline.LatencyMs.P95)),
                    RoundOrNull(Throughputs.MedianPairedRatio(pool.RoundThroughputs, baseline.RoundThroughputs))));
            }
        }

        return comparisons;
    }

    public static NoiseInfo Noise(IReadOnlyList<ScenarioResult> scenarios, string operation)
    {
        var spreads = scenarios.Where(s => s.Number <= 4)
            .SelectMany(s => s.Variants.Select(v => (s.Number, s.Operation, Spread: Throughputs.Spread(v.RoundThroughputs))))
            .Where(x => x.Spread > 0)
            .ToList();
        double? highConcurrency = spreads.Where(x => x.Number == 3 && x.Operation == operation).Select(x => x.Spread).DefaultIfEmpty().Max() is var h && h > 0 ? Round(h, 4) : null;
        double? largest = spreads.Count > 0 ? Round(spreads.Max(x => x.Spread), 4) : null;
        return new NoiseInfo(
            "Run-to-run noise: for each scenario and variant, (max − min) ÷ mean of its rounds' throughputs. highConcurrencySpread is the largest in scenario 3 (" + operation + "); null with a single round.",
            highConcurrency,
            largest);
    }

    private static double Ms(double value) => Round(value, 4);

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    private static double? RoundOrNull(double? value) => value is { } v ? Round(v, 3) : null;
}
