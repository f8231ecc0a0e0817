namespace PoolWorker.Benchmark.Running;

/// <summary>
/// Samples the OS's count of this process's connections to a port that a run counts as its own (its pool's, see
/// <see cref="PoolSocketLedger"/>; else those not open before it started), every few milliseconds, keeping the peak, and
/// ticks the progress display on the same beat.
/// </summary>
internal sealed class ConnectionSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private readonly int? _port;
    private readonly Func<string, bool> _counts;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _peak;

    /// <param name="counts">Whether a connection, by its local end as /proc writes it, is the run's own.</param>
    public ConnectionSampler(int? port, Func<string, bool> counts, Action? onTick = null)
    {
        _port = port;
        _counts = counts;
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Interval);
            do
            {
                Sample();
                onTick?.Invoke();
            }
            while (await WaitAsync(timer));
        });
    }

    public int Peak => Volatile.Read(ref _peak);

    /// <summary>The local ends of this process's connections to the port now, to leave out of a later count.</summary>
    public static IReadOnlySet<string> Existing(int? port) =>
        port is { } p && TcpConnectionCounter.IsSupported ? TcpConnectionCounter.EstablishedTo(p).ToHashSet(StringComparer.Ordinal) : new HashSet<string>();

    public int Sample()
    {
        if (_port is null || !TcpConnectionCounter.IsSupported)
        {
            return 0;
        }

        var count = TcpConnectionCounter.EstablishedTo(_port.Value).Count(_counts);
        int peak;
        while (count > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, count, peak) != peak)
        {
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
