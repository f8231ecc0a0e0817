namespace QdrantPool.Telemetry;

/// <summary>
/// Mean, maximum and 95th percentile of acquire times without a lock or an allocation per sample: totals in
/// Interlocked counters, the percentile over a ring of the most recent samples.
/// </summary>
internal sealed class AcquireTimeRecorder
{
    private const int WindowSize = 1024;

    private readonly long[] _window = new long[WindowSize];
    private long _count;
    private long _totalTicks;
    private long _maxTicks;

    /// <summary>Acquires recorded; the pool's total-acquires figure.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Records one acquire time, in <see cref="TimeSpan"/> ticks.</summary>
    public void Record(long ticks)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        Volatile.Write(ref _window[index & (WindowSize - 1)], ticks);
        if (ticks == 0)
        {
            // The fast path's sample: it adds nothing to the total and cannot raise the maximum.
            return;
        }

        Interlocked.Add(ref _totalTicks, ticks);

        var max = Volatile.Read(ref _maxTicks);
        while (ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxTicks, ticks, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public (TimeSpan Average, TimeSpan P95, TimeSpan Max) Snapshot()
    {
        var count = Volatile.Read(ref _count);
        if (count == 0)
        {
            return (TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }

        var samples = new long[Math.Min(count, WindowSize)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = Volatile.Read(ref _window[i]);
        }

        Array.Sort(samples);
        var p95 = samples[(int)Math.Ceiling(samples.Length * 0.95) - 1];
        return (TimeSpan.FromTicks(Volatile.Read(ref _totalTicks) / count), TimeSpan.FromTicks(p95), TimeSpan.FromTicks(Volatile.Read(ref _maxTicks)));
    }
}
