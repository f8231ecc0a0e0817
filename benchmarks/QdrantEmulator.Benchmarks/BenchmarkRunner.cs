using Microsoft.Extensions.Logging;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantEmulator.Hosting;

namespace QdrantEmulator.Benchmarks;

/// <summary>Starts the emulator in-process on port 0, loads data, runs the measurements and prints one table.</summary>
internal static class BenchmarkRunner
{
    public static async Task<int> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        settings.Validate();
        var time = TimeProvider.System;
        var ownsStorage = settings.StoragePath is null;
        var storage = settings.StoragePath ?? Path.Combine(Path.GetTempPath(), "qdrant-emulator-bench", Guid.NewGuid().ToString("N"));
        var rows = new List<ResultRow>();
        try
        {
            await using var host = await EmulatorHost.StartAsync(
                new EmulatorSettings { GrpcPort = 0, HttpPort = 0, StoragePath = storage }, cancellationToken,
                logging => logging.SetMinimumLevel(LogLevel.Warning));
            using var client = new QdrantClient(host.GrpcEndpoint);
            Console.WriteLine($"Emulator on {host.GrpcEndpoint}, storage {storage}; {Environment.ProcessorCount} cores, {settings.Dims} dims.");

            var vectors = new VectorSource(settings.Dims, settings.Seed);
            var searchCollection = "bench_search";
            await client.CreateCollectionAsync(searchCollection, new VectorParams { Size = (ulong)settings.Dims, Distance = Distance.Cosine }, cancellationToken: cancellationToken);
            var loaded = 0;
            foreach (var size in settings.Points.Order())
            {
                var loadStarted = time.GetTimestamp();
                loaded = await Loader.LoadAsync(client, searchCollection, vectors, from: loaded, to: size, settings.LoadBatch, cancellationToken);
                Console.WriteLine($"Loaded {size:N0} points in {time.GetElapsedTime(loadStarted).TotalSeconds:F1} s.");
                foreach (var callers in settings.Callers)
                {
                    rows.Add(await Measure.SearchAsync(client, searchCollection, vectors, size, callers, settings, time, cancellationToken));
                    Console.WriteLine(rows[^1].Format());
                }
            }

            foreach (var writers in settings.Writers)
            {
                var writeCollection = $"bench_write_{writers}";
                await client.CreateCollectionAsync(writeCollection, new VectorParams { Size = (ulong)settings.Dims, Distance = Distance.Cosine }, cancellationToken: cancellationToken);
                rows.Add(await Measure.WritesAsync(client, host, writeCollection, vectors, writers, settings, time, cancellationToken));
                Console.WriteLine(rows[^1].Format());
            }

            Console.WriteLine();
            Console.WriteLine(ResultRow.MarkdownTable(rows));
            return 0;
        }
        finally
        {
            if (ownsStorage && Directory.Exists(storage))
            {
                Directory.Delete(storage, recursive: true);
            }
        }
    }
}
