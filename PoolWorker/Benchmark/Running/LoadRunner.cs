using System.Diagnostics;

namespace PoolWorker.Benchmark.Running;

/// <summary>
/// Runs one variant's load: a warm-up that is not counted, then the measured phase, with every client on its own
/// seeded random source, latency histogram and error tally (merged at the end, so the hot path shares nothing but
/// one counter).
/// </summary>
internal static class LoadRunner
{
    /// <summary>One operation attempt: returns the acquire time in Stopwatch ticks (0 where there is no pool).</summary>
    public delegate ValueTask<long> Attempt(Random random, CancellationToken cancellationToken);

    public static async Task<RunMeasurement> RunAsync(
        Attempt attempt, bool recordAcquire, LoadShape shape, int seed, int? port, Func<string, bool> countsConnection, Action<long>? progress, CancellationToken cancellationToken)
    {
        if (shape.WarmupOperations > 0)
        {
            await PhaseAsync(attempt, shape.Clients, shape.WarmupOperations, null, seed + 7_919, recordAcquire, null, cancellationToken);
        }

        var completed = new long[1];
        RunMeasurement measurement;
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        await using (var sampler = new ConnectionSampler(port, countsConnection, progress is null ? null : () => progress(Interlocked.Read(ref completed[0]))))
        {
            measurement = await PhaseAsync(attempt, shape.Clients, shape.Operations, shape.Duration, seed, recordAcquire, completed, cancellationToken);
            measurement.CpuSeconds = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            measurement.EndConnections = sampler.Sample();
            measurement.PeakConnections = Math.Max(sampler.Peak, measurement.EndConnections);
        }

        progress?.Invoke(completed[0]);
        return measurement;
    }

    private static async Task<RunMeasurement> PhaseAsync(
        Attempt attempt, int clients, long? operations, TimeSpan? duration, int seed, bool recordAcquire, long[]? completed, CancellationToken cancellationToken)
    {
        var issued = 0L;
        var states = Enumerable.Range(0, clients).Select(i => new ClientState(seed + i, recordAcquire)).ToArray();
        var start = Stopwatch.GetTimestamp();
        var stopAt = duration is { } d ? start + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;

        async Task ClientAsync(ClientState state)
        {
            // Bounded by count or by time, whichever the shape gives.
            while (operations is { } total ? Interlocked.Increment(ref issued) <= total : Stopwatch.GetTimestamp() < stopAt)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var began = Stopwatch.GetTimestamp();
                try
                {
                    var acquire = await attempt(state.Random, cancellationToken);
                    state.Latency.RecordTicks(Stopwatch.GetTimestamp() - began);
                    state.Acquire?.RecordTicks(acquire);
                    state.Successes++;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    state.Errors.Add(e);
                }

                if (completed is not null)
                {
                    Interlocked.Increment(ref completed[0]);
                }
            }
        }

        await Task.WhenAll(states.Select(state => Task.Run(() => ClientAsync(state), cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(start);

        var measurement = new RunMeasurement { DurationSeconds = elapsed.TotalSeconds, Acquire = recordAcquire ? new DurationRecorder() : null };
        foreach (var state in states)
        {
            measurement.Successes += state.Successes;
            measurement.Latency.Add(state.Latency);
            if (state.Acquire is not null)
            {
                measurement.Acquire!.Add(state.Acquire);
            }

            measurement.Errors.Add(state.Errors);
        }

        return measurement;
    }

    private sealed class ClientState(int seed, bool recordAcquire)
    {
        public Random Random { get; } = new(seed);

        public DurationRecorder Latency { get; } = new();

        public DurationRecorder? Acquire { get; } = recordAcquire ? new DurationRecorder() : null;

        public ErrorTally Errors { get; } = new();

        public long Successes { get; set; }
    }
}
