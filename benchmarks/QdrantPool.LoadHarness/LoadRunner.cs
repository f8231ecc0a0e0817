using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using HdrHistogram;
using Qdrant.Client.Grpc;

namespace QdrantPool.LoadHarness;

/// <summary>
/// Runs every (round, callers, variant) cell against one emulator process: each cell builds its variant fresh, warms
/// it, measures a closed loop (each caller sends its next Get as soon as the last returns), and disposes it. Rounds
/// repeat the whole grid with the variant order rotated, so a machine that gets busier or quieter part-way through
/// weighs on every variant alike; the table gives medians over rounds.
/// </summary>
internal static class LoadRunner
{
    public static async Task<int> RunAsync(HarnessSettings settings, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = LoadAverage();
        Console.WriteLine($"QdrantPool load harness, {startedAt:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores, .NET {Environment.Version}, "
            + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, load average {loadBefore}.");

        using var emulator = await EmulatorProcess.StartAsync(cancellationToken);
        Console.WriteLine($"Emulator (separate process) at {emulator.GrpcEndpoint}; seeding {settings.Points:N0} points...");
        using (var seeding = emulator.CreateClient())
        {
            await Seeder.SeedAsync(seeding, settings.Points, settings.Seed, cancellationToken);
        }

        // One unmeasured pass of every variant first: JIT, connection set-up and the server's first touches of the data
        // would otherwise land on whichever cell happens to run first.
        foreach (var variant in settings.Variants)
        {
            await MeasureCellAsync(emulator, variant, settings.Callers.Max(), round: -1, settings with { WarmUp = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(1) }, cancellationToken);
        }

        var results = new List<CellResult>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            for (var c = 0; c < settings.Callers.Length; c++)
            {
                var variants = settings.Variants;
                var shift = (round + c) % variants.Count;
                foreach (var variant in variants.Skip(shift).Concat(variants.Take(shift)))
                {
                    var result = await MeasureCellAsync(emulator, variant, settings.Callers[c], round, settings, cancellationToken);
                    results.Add(result);
                    Console.WriteLine(
                        $"  round {round + 1}, {result.Callers,2} callers, {variant.Key,-10} {result.OpsPerSecond,9:N0} ops/s  p50 {result.P50Micros,6:N0} µs  "
                        + $"p95 {result.P95Micros,6:N0} µs  CPU/op {result.ClientCpuMicrosPerOp,4:N0}+{result.ServerCpuMicrosPerOp,3:N0} µs  new sockets {result.Sockets?.ToString(CultureInfo.InvariantCulture) ?? "?"} ({result.Connections})  errors {result.Errors}");
                }
            }
        }

        var loadAfter = LoadAverage();
        Console.WriteLine();
        Console.WriteLine(ResultTable.Render(results, settings, loadBefore, loadAfter));
        return 0;
    }

    private static async Task<CellResult> MeasureCellAsync(
        EmulatorProcess emulator, Variant variant, int callers, int round, HarnessSettings settings, CancellationToken cancellationToken)
    {
        // A hang (a lost wake-up, a dead server) ends the run instead of holding it forever.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(settings.WarmUp + settings.Duration + TimeSpan.FromSeconds(60));
        var token = bound.Token;

        // Sockets left by earlier cells (a disposed QdrantClient may keep its connection a while) are not this cell's.
        var socketsBefore = TcpConnections.CountTo(emulator.GrpcEndpoint.Port);
        await using var target = await variant.CreateAsync(emulator.GrpcEndpoint, token);
        var phase = new Phase();
        var histograms = new LongHistogram[callers];
        var errors = new long[callers];
        var workers = new Task[callers];
        for (var i = 0; i < callers; i++)
        {
            histograms[i] = new LongHistogram(1, 60_000_000, 3);
            var caller = i;
            workers[i] = Task.Run(() => CallerAsync(target, phase, histograms[caller], errors, caller, settings, round, token), token);
        }

        await Task.Delay(settings.WarmUp, token);
        using var self = Process.GetCurrentProcess();
        var cpuBefore = emulator.ProcessorTime;
        var clientCpuBefore = self.TotalProcessorTime;
        var measuredFrom = Stopwatch.GetTimestamp();
        phase.Value = Phase.Measuring;
        await Task.Delay(settings.Duration, token);
        var sockets = TcpConnections.CountTo(emulator.GrpcEndpoint.Port) - socketsBefore;
        var connections = target.Connections;
        phase.Value = Phase.Stopping;
        var measured = Stopwatch.GetElapsedTime(measuredFrom);
        var serverCpu = emulator.ProcessorTime - cpuBefore;
        self.Refresh();
        var clientCpu = self.TotalProcessorTime - clientCpuBefore;
        await Task.WhenAll(workers);

        var merged = new LongHistogram(1, 60_000_000, 3);
        foreach (var histogram in histograms)
        {
            merged.Add(histogram);
        }

        var ops = merged.TotalCount;
        return new CellResult(
            variant,
            callers,
            round,
            ops / measured.TotalSeconds,
            merged.GetValueAtPercentile(50),
            merged.GetValueAtPercentile(95),
            errors.Sum(),
            sockets,
            connections,
            ops == 0 ? 0 : clientCpu.TotalMicroseconds / ops,
            ops == 0 ? 0 : serverCpu.TotalMicroseconds / ops);
    }

    private static async Task CallerAsync(
        ILoadTarget target, Phase phase, LongHistogram histogram, long[] errors, int caller, HarnessSettings settings, int round, CancellationToken token)
    {
        var random = new Random(HashCode.Combine(settings.Seed, caller, round));
        while (phase.Value != Phase.Stopping)
        {
            var ids = new PointId[random.Next(1, settings.MaxIds + 1)];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = (ulong)random.Next(settings.Points);
            }

            var startedIn = phase.Value;
            var started = Stopwatch.GetTimestamp();
            try
            {
                await target.GetAsync(Seeder.Collection, ids, token);
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                errors[caller]++;
                continue;
            }

            // Only calls that started and ended inside the measured window count, for every variant alike.
            if (startedIn == Phase.Measuring && phase.Value == Phase.Measuring)
            {
                histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds));
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed class Phase
    {
        public const int WarmingUp = 0;
        public const int Measuring = 1;
        public const int Stopping = 2;
        private int _value = WarmingUp;

        public int Value
        {
            get => Volatile.Read(ref _value);
            set => Volatile.Write(ref _value, value);
        }
    }
}

internal sealed record CellResult(
    Variant Variant,
    int Callers,
    int Round,
    double OpsPerSecond,
    long P50Micros,
    long P95Micros,
    long Errors,
    int? Sockets,
    string Connections,
    double ClientCpuMicrosPerOp,
    double ServerCpuMicrosPerOp);
