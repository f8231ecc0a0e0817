using System.Diagnostics;
using HdrHistogram;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantEmulator.Hosting;

namespace QdrantEmulator.Benchmarks;

/// <summary>Closed-loop measurements: each caller issues its next call as soon as the last one returns.</summary>
internal static class Measure
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static async Task<ResultRow> SearchAsync(
        QdrantClient client, string collection, VectorSource vectors, int points, int callers, BenchmarkSettings settings,
        TimeProvider time, CancellationToken cancellationToken)
    {
        async Task<long> Caller(int caller, LongHistogram? histogram, TimeSpan duration)
        {
            var random = vectors.QueryStream(caller);
            var started = time.GetTimestamp();
            long calls = 0;
            while (time.GetElapsedTime(started) < duration)
            {
                var query = vectors.Next(random);
                var before = time.GetTimestamp();
                await client.QueryAsync(collection, query, limit: (ulong)settings.Limit, cancellationToken: cancellationToken);
                histogram?.RecordValue((long)time.GetElapsedTime(before).TotalMicroseconds);
                calls++;
            }

            return calls;
        }

        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Caller(c, null, WarmUp)));
        var histograms = Enumerable.Range(0, callers).Select(_ => NewHistogram()).ToArray();
        var cpuBefore = CpuTime();
        var measured = time.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Caller(c, histograms[c], settings.Duration)));
        var elapsed = time.GetElapsedTime(measured);
        var cpu = CpuTime() - cpuBefore;

        var calls = counts.Sum();
        return new ResultRow(
            $"search top-{settings.Limit}", points, callers, calls / elapsed.TotalSeconds, null, Merge(histograms), null,
            cpu.TotalMilliseconds / calls);
    }

    public static async Task<ResultRow> WritesAsync(
        QdrantClient client, EmulatorHost host, string collection, VectorSource vectors, int writers, BenchmarkSettings settings,
        TimeProvider time, CancellationToken cancellationToken)
    {
        async Task<long> Writer(int writer, LongHistogram? histogram, TimeSpan duration, long firstId)
        {
            var random = vectors.QueryStream(1000 + writer);
            var nextId = firstId + (writer * 1_000_000_000L);
            var started = time.GetTimestamp();
            long upserts = 0;
            while (time.GetElapsedTime(started) < duration)
            {
                var batch = new List<PointStruct>(settings.PointsPerUpsert);
                for (var i = 0; i < settings.PointsPerUpsert; i++)
                {
                    batch.Add(new PointStruct { Id = (ulong)nextId++, Vectors = vectors.Next(random) });
                }

                var before = time.GetTimestamp();
                await client.UpsertAsync(collection, batch, wait: true, cancellationToken: cancellationToken);
                histogram?.RecordValue((long)time.GetElapsedTime(before).TotalMicroseconds);
                upserts++;
            }

            return upserts;
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Writer(w, null, WarmUp, firstId: 0)));
        var histograms = Enumerable.Range(0, writers).Select(_ => NewHistogram()).ToArray();
        var flushesBefore = host.Engine.Writes.FlushCount;
        var cpuBefore = CpuTime();
        var measured = time.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Writer(w, histograms[w], settings.Duration, firstId: 500_000_000)));
        var elapsed = time.GetElapsedTime(measured);
        var cpu = CpuTime() - cpuBefore;
        var flushes = host.Engine.Writes.FlushCount - flushesBefore;

        var upserts = counts.Sum();
        return new ResultRow(
            $"upsert {settings.PointsPerUpsert} pts",
            null,
            writers,
            upserts / elapsed.TotalSeconds,
            upserts * settings.PointsPerUpsert / elapsed.TotalSeconds,
            Merge(histograms),
            flushes == 0 ? null : (double)upserts / flushes,
            cpu.TotalMilliseconds / upserts);
    }

    // Process CPU (client and server share the process): unlike wall-clock latency, it barely moves when other
    // work competes for the cores, so it is the steadier figure on a busy machine.
    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    // Microseconds from 1 µs to one minute, three significant digits.
    private static LongHistogram NewHistogram() => new(60_000_000, 3);

    private static LongHistogram Merge(LongHistogram[] histograms)
    {
        var total = NewHistogram();
        foreach (var histogram in histograms)
        {
            total.Add(histogram);
        }

        return total;
    }
}
