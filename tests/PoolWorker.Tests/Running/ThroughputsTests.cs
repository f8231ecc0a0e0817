using PoolWorker.Benchmark.Running;

namespace PoolWorker.Tests.Running;

public class ThroughputsTests
{
    [Fact]
    public void Of_DividesSuccessesByWallSeconds() => Assert.Equal(2_500, Throughputs.Of(5_000, 2.0));

    [Fact]
    public void Of_NoMeasuredTime_IsZero() => Assert.Equal(0, Throughputs.Of(10, 0));

    [Fact]
    public void Ratio_IsFirstOverSecond() => Assert.Equal(1.25, Throughputs.Ratio(5, 4));

    [Fact]
    public void Ratio_AgainstZeroBaseline_IsNull() => Assert.Null(Throughputs.Ratio(5, 0));

    [Fact]
    public void FailureRate_IsFailuresPerOperation() => Assert.Equal(0.002, Throughputs.FailureRate(2, 1_000));

    [Fact]
    public void Spread_IsRangeOverMean() => Assert.Equal(0.2, Throughputs.Spread([900, 1_000, 1_100]), 10);

    [Fact]
    public void Spread_OfOneValue_IsZero() => Assert.Equal(0, Throughputs.Spread([1_000]));

    [Fact]
    public void CpuPerOperation_IsProcessCpuOverOperations_SummedOverRounds()
    {
        var total = new RunMeasurement();
        total.Add(new RunMeasurement { Successes = 1_000, CpuSeconds = 0.02 });
        total.Add(new RunMeasurement { Successes = 1_000, CpuSeconds = 0.04 });

        Assert.Equal(30, total.CpuPerOperationMicroseconds, 6);
    }

    [Fact]
    public void MedianPairedRatio_PairsRoundsInOrder()
    {
        // Round ratios 2.0, 0.5 and 1.1: the median is 1.1, whatever the overall sums say.
        Assert.Equal(1.1, Throughputs.MedianPairedRatio([200, 50, 110], [100, 100, 100])!.Value, 10);
        Assert.Equal(1.5, Throughputs.MedianPairedRatio([100, 200], [100, 100])!.Value, 10);
        Assert.Null(Throughputs.MedianPairedRatio([100], [0]));
    }

    [Fact]
    public void RunMeasurement_AddingRounds_SumsSuccessesAndTimeAndKeepsEachRoundsThroughput()
    {
        var total = new RunMeasurement();
        total.Add(new RunMeasurement { Successes = 1_000, DurationSeconds = 1 });
        total.Add(new RunMeasurement { Successes = 1_000, DurationSeconds = 3 });

        Assert.Equal(2_000, total.Successes);
        Assert.Equal(4, total.DurationSeconds);
        Assert.Equal(500, total.Throughput); // not the mean of 1,000 and 333 ops/s
        Assert.Equal([1_000, 1_000 / 3.0], total.RoundThroughputs);
    }
}
