using PoolWorker.Benchmark.Report;
using PoolWorker.Benchmark.Running;
using PoolWorker.Tests.Support;

namespace PoolWorker.Tests.Report;

public class ReportBuilderTests
{
    [Fact]
    public void Comparisons_AreEachPoolVariantOverEachBaseline()
    {
        var comparisons = ReportBuilder.Comparisons(SampleReport.Passing(poolThroughput: 1_200));

        Assert.Equal(1.2, comparisons.Single(c => c.Variant == "pool-shared" && c.Baseline == "singleton").ThroughputRatio);
        Assert.Equal(24, comparisons.Single(c => c.Variant == "pool-shared" && c.Baseline == "per-operation").ThroughputRatio);
        Assert.Equal(1.5, comparisons.Single(c => c.Variant == "pool-shared" && c.Baseline == "pool-exclusive").ThroughputRatio);
        Assert.Equal(0.05, comparisons.Single(c => c.Variant == "pool-shared" && c.Baseline == "per-operation").P95Ratio);
        Assert.Equal(5, comparisons.Count);
        // pool-shared rounds 1,176 and 1,224 against singleton 990 and 1,010: ratios 1.188 and 1.212.
        Assert.Equal(1.2, comparisons.Single(c => c.Variant == "pool-shared" && c.Baseline == "singleton").MedianRoundRatio);
    }

    [Fact]
    public void Variant_ThroughputIsSuccessesOverMeasuredSeconds_AndAcquireOnlyWithAPool()
    {
        var measurement = new RunMeasurement { Successes = 3_000, DurationSeconds = 1.5, Acquire = new DurationRecorder() };
        measurement.Latency.Record(2_000_000);
        measurement.Acquire.Record(10_000);

        var pooled = ReportBuilder.Variant("pool-shared", measurement, isPool: true);
        var singleton = ReportBuilder.Variant("singleton", measurement, isPool: false);

        Assert.Equal(2_000, pooled.Throughput);
        Assert.Equal(0.01, pooled.AcquireMs!.Avg);
        Assert.Null(singleton.AcquireMs);
        Assert.Null(singleton.ConnectionsCreated);
    }

    [Fact]
    public void Noise_IsTheLargestRoundSpreadInScenarioThree()
    {
        var noise = ReportBuilder.Noise(SampleReport.Passing(), "get");

        // pool-shared 980/1,020 (4 %), singleton 990/1,010 (2 %).
        Assert.Equal(0.04, noise.HighConcurrencySpread);
    }
}
