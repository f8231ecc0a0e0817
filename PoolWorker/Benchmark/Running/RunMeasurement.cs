namespace PoolWorker.Benchmark.Running;

/// <summary>What one measured phase of one variant produced; rounds of the same variant add up with <see cref="Add"/>.</summary>
internal sealed class RunMeasurement
{
    public long Successes { get; set; }

    public long Failures => Errors.Total;

    /// <summary>Wall time of the measured phase (warm-up excluded), summed over rounds.</summary>
    public double DurationSeconds { get; set; }

    public DurationRecorder Latency { get; } = new();

    /// <summary>This process's CPU time during the measured phase (every thread: clients, pool, GC, samplers), summed over rounds.</summary>
    public double CpuSeconds { get; set; }

    /// <summary>CPU microseconds per operation: steadier than throughput on a busy machine, because time spent waiting for a core does not count.</summary>
    public double CpuPerOperationMicroseconds => Successes + Failures > 0 ? CpuSeconds * 1e6 / (Successes + Failures) : 0;

    /// <summary>Acquire times; null for a variant without a pool.</summary>
    public DurationRecorder? Acquire { get; set; }

    public int PeakConnections { get; set; }

    public int EndConnections { get; set; }

    public ErrorTally Errors { get; } = new();

    public long HealthChecks { get; set; }

    public long HealthCheckFailures { get; set; }

    public long ConnectionsCreated { get; set; }

    public Dictionary<string, long> Recycled { get; } = new(StringComparer.Ordinal);

    /// <summary>Each round's throughput, to show the run-to-run noise.</summary>
    public List<double> RoundThroughputs { get; } = [];

    public double Throughput => Throughputs.Of(Successes, DurationSeconds);

    public void Add(RunMeasurement round)
    {
        Successes += round.Successes;
        DurationSeconds += round.DurationSeconds;
        CpuSeconds += round.CpuSeconds;
        Latency.Add(round.Latency);
        if (round.Acquire is not null)
        {
            Acquire ??= new DurationRecorder();
            Acquire.Add(round.Acquire);
        }

        PeakConnections = Math.Max(PeakConnections, round.PeakConnections);
        EndConnections = Math.Max(EndConnections, round.EndConnections);
        Errors.Add(round.Errors);
        HealthChecks += round.HealthChecks;
        HealthCheckFailures += round.HealthCheckFailures;
        ConnectionsCreated += round.ConnectionsCreated;
        foreach (var (reason, count) in round.Recycled)
        {
            Recycled[reason] = Recycled.GetValueOrDefault(reason) + count;
        }

        RoundThroughputs.Add(round.Throughput);
    }
}
