namespace PoolWorker.Benchmark.Running;

/// <summary>The benchmark's arithmetic, in one place so the tests can check it.</summary>
internal static class Throughputs
{
    /// <summary>Successful operations per second of wall time; 0 when nothing was measured.</summary>
    public static double Of(long successes, double seconds) => seconds > 0 ? successes / seconds : 0;

    /// <summary>a ÷ b, or null when b is 0 (no baseline to compare with).</summary>
    public static double? Ratio(double a, double b) => b > 0 ? a / b : null;

    /// <summary>Failed health checks per measured operation; 0 when nothing was measured.</summary>
    public static double FailureRate(long failures, long operations) => operations > 0 ? (double)failures / operations : 0;

    /// <summary>The spread of repeated measurements, (max − min) ÷ mean; 0 for fewer than two.</summary>
    public static double Spread(IReadOnlyCollection<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return mean > 0 ? (values.Max() - values.Min()) / mean : 0;
    }

    /// <summary>The median of a[i] ÷ b[i] over the rounds both have (pairs with b[i] = 0 left out); null when none.</summary>
    public static double? MedianPairedRatio(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var ratios = a.Zip(b).Where(p => p.Second > 0).Select(p => p.First / p.Second).Order().ToList();
        if (ratios.Count == 0)
        {
            return null;
        }

        var middle = ratios.Count / 2;
        return ratios.Count % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
    }
}
