using System.Diagnostics;
using HdrHistogram;

namespace PoolWorker.Benchmark.Running;

/// <summary>Durations in nanoseconds: HdrHistogram (3 significant digits) for the percentiles, exact min, max and mean beside it.</summary>
internal sealed class DurationRecorder
{
    // One minute in nanoseconds: an operation slower than that is recorded as one minute.
    private const long Highest = 60_000_000_000;

    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    public LongHistogram Histogram { get; } = new(Highest, 3);

    public long Count { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public long Max { get; private set; }

    public double Sum { get; private set; }

    public static long TicksToNanoseconds(long ticks) => (long)(ticks * NanosecondsPerTick);

    public void RecordTicks(long ticks) => Record(TicksToNanoseconds(ticks));

    public void Record(long nanoseconds)
    {
        var value = Math.Clamp(nanoseconds, 0, Highest);
        Histogram.RecordValue(value);
        Count++;
        Sum += value;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }

    public void Add(DurationRecorder other)
    {
        if (other.Count == 0)
        {
            return;
        }

        Histogram.Add(other.Histogram);
        Count += other.Count;
        Sum += other.Sum;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>
    /// The value at a percentile in milliseconds (HdrHistogram's highest equivalent value, within 0.1 %), 0 when empty.
    /// Held within the exact min and max: the bucket's highest equivalent value can lie above the largest value recorded
    /// (seen: a p95 of 552.60 ms beside a max of 552.25 ms), and a report whose p95 exceeds its max reads as wrong.
    /// </summary>
    public double PercentileMs(double percentile) =>
        Count == 0 ? 0 : Math.Clamp(Histogram.GetValueAtPercentile(percentile), Min, Max) / 1e6;

    public double MinMs => Count == 0 ? 0 : Min / 1e6;

    public double MaxMs => Count == 0 ? 0 : Max / 1e6;

    public double MeanMs => Count == 0 ? 0 : Sum / Count / 1e6;
}
