using PoolWorker.Benchmark.Running;

namespace PoolWorker.Tests.Running;

public class DurationRecorderTests
{
    [Fact]
    public void Percentiles_OfOneToThousandMilliseconds_AreWithinHdrHistogramPrecision()
    {
        var recorder = new DurationRecorder();
        for (var ms = 1; ms <= 1_000; ms++)
        {
            recorder.Record(ms * 1_000_000L);
        }

        // Three significant digits: within 0.1 % of the exact value.
        Assert.Equal(500, recorder.PercentileMs(50), 0.5);
        Assert.Equal(950, recorder.PercentileMs(95), 0.95);
        Assert.Equal(990, recorder.PercentileMs(99), 0.99);
        Assert.Equal(1, recorder.MinMs);
        Assert.Equal(1_000, recorder.MaxMs);
        Assert.Equal(500.5, recorder.MeanMs, 6);
    }

    [Fact]
    public void PercentileMs_BucketAboveTheLargestValue_NeverExceedsMaxOrFallsBelowMin()
    {
        // 552,246,800 ns lies in a bucket whose highest equivalent value is above it (3 significant digits: ~0.06 %).
        var recorder = new DurationRecorder();
        recorder.Record(552_246_800);

        Assert.Equal(recorder.MaxMs, recorder.PercentileMs(95));
        Assert.Equal(recorder.MaxMs, recorder.PercentileMs(100));
        Assert.Equal(recorder.MinMs, recorder.PercentileMs(0));
    }

    [Fact]
    public void Add_MergesCountsAndExtremes()
    {
        var a = new DurationRecorder();
        var b = new DurationRecorder();
        a.Record(2_000_000);
        b.Record(1_000_000);
        b.Record(9_000_000);

        a.Add(b);

        Assert.Equal(3, a.Count);
        Assert.Equal(1, a.MinMs);
        Assert.Equal(9, a.MaxMs);
        Assert.Equal(4, a.MeanMs, 6);
    }

    [Fact]
    public void Empty_ReportsZeros()
    {
        var recorder = new DurationRecorder();

        Assert.Equal(0, recorder.PercentileMs(95));
        Assert.Equal(0, recorder.MinMs);
        Assert.Equal(0, recorder.MaxMs);
    }

    [Fact]
    public void RecordTicks_ConvertsStopwatchTicksToNanoseconds()
    {
        var recorder = new DurationRecorder();
        recorder.RecordTicks(System.Diagnostics.Stopwatch.Frequency / 1_000); // 1 ms

        Assert.Equal(1, recorder.MaxMs, 3);
    }
}
