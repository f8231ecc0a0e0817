using System.Diagnostics;

namespace QdrantPool.Leasing;

/// <summary>
/// The pool's clock for the lease fast path, in the units of <see cref="TimeProvider.GetTimestamp"/>, accurate to a few
/// milliseconds. What the fast path times is measured in hundreds of milliseconds or more (lifetime, the validation
/// bypass window, idleness, leak age), while a precise read costs more than the rest of an acquire and release together
/// on some virtual machines (benchmarks/QdrantPool.Benchmarks/README.md).
/// </summary>
/// <remarks>
/// Only for <see cref="TimeProvider.System"/> does it read the operating system's tick count (the coarse monotonic clock),
/// shifted onto the timestamp scale. Any other provider, a test's FakeTimeProvider included, is read as it is, so tests
/// drive this clock like every other.
/// </remarks>
internal sealed class CoarseClock
{
    private readonly TimeProvider _time;
    private readonly bool _useTickCount;
    private readonly double _timestampTicksPerMillisecond;

    // Timestamp minus scaled tick count, measured at construction and again by housekeeping, so drift between the two
    // clocks never builds up.
    private long _offset;

    public CoarseClock(TimeProvider time)
    {
        _time = time;
        _useTickCount = ReferenceEquals(time, TimeProvider.System);
        _timestampTicksPerMillisecond = Stopwatch.Frequency / 1000.0;
        Calibrate();
    }

    public long GetTimestamp() =>
        _useTickCount ? (long)(Environment.TickCount64 * _timestampTicksPerMillisecond) + Volatile.Read(ref _offset) : _time.GetTimestamp();

    /// <summary>Realigns the tick count with the precise clock; cheap enough for every housekeeping pass.</summary>
    public void Calibrate()
    {
        if (_useTickCount)
        {
            Volatile.Write(ref _offset, Stopwatch.GetTimestamp() - (long)(Environment.TickCount64 * _timestampTicksPerMillisecond));
        }
    }
}
