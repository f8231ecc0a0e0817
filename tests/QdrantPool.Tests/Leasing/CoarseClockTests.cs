using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using QdrantPool.Leasing;

namespace QdrantPool.Tests.Leasing;

public class CoarseClockTests
{
    [Fact]
    public void GetTimestamp_FakeTimeProvider_ReadsTheProviderExactly()
    {
        var time = new FakeTimeProvider();
        var sut = new CoarseClock(time);

        time.Advance(TimeSpan.FromMilliseconds(1.5));

        Assert.Equal(time.GetTimestamp(), sut.GetTimestamp());
    }

    [Fact]
    public void GetTimestamp_SystemProvider_WithinTheTickCountResolutionOfThePreciseClock()
    {
        var sut = new CoarseClock(TimeProvider.System);

        // Generous for Windows' 15.6 ms tick; on Linux the coarse clock moves every 1-4 ms.
        var tolerance = Stopwatch.Frequency * 40 / 1000;
        for (var i = 0; i < 5; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var coarse = sut.GetTimestamp();
            var after = Stopwatch.GetTimestamp();
            Assert.InRange(coarse, before - tolerance, after + tolerance);
            sut.Calibrate();
        }
    }
}
