using QdrantPool.Telemetry;

namespace QdrantPool.Tests.Telemetry;

public class AcquireTimeRecorderTests
{
    [Fact]
    public void Snapshot_NoSamples_AllZero()
    {
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero), new AcquireTimeRecorder().Snapshot());
    }

    [Fact]
    public void Snapshot_HundredSamples_AverageP95AndMax()
    {
        var recorder = new AcquireTimeRecorder();
        for (var i = 1; i <= 100; i++)
        {
            recorder.Record(TimeSpan.FromMilliseconds(i).Ticks);
        }

        var (average, p95, max) = recorder.Snapshot();

        Assert.Equal(TimeSpan.FromMilliseconds(50.5), average);
        Assert.Equal(TimeSpan.FromMilliseconds(95), p95);
        Assert.Equal(TimeSpan.FromMilliseconds(100), max);
    }

    [Fact]
    public void Snapshot_MoreSamplesThanWindow_P95OverRecentSamplesOnly()
    {
        var recorder = new AcquireTimeRecorder();
        recorder.Record(TimeSpan.FromSeconds(10).Ticks);
        for (var i = 0; i < 2000; i++)
        {
            recorder.Record(TimeSpan.FromMilliseconds(1).Ticks);
        }

        var (_, p95, max) = recorder.Snapshot();

        Assert.Equal(TimeSpan.FromMilliseconds(1), p95);
        Assert.Equal(TimeSpan.FromSeconds(10), max);
    }
}
