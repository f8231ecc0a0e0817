using System.CommandLine;

namespace QdrantEmulator.Benchmarks;

/// <summary>The command line: every knob has a default that keeps a full run well under three minutes.</summary>
internal static class BenchmarkCommand
{
    public static RootCommand Create()
    {
        var points = new Option<int[]>("--points")
        {
            Description = "Collection sizes to measure search at.",
            DefaultValueFactory = _ => [10_000, 100_000],
            AllowMultipleArgumentsPerToken = true,
        };
        var dims = new Option<int>("--dims") { Description = "Vector dimensions.", DefaultValueFactory = _ => 384 };
        var duration = new Option<double>("--duration")
        {
            Description = "Seconds each measurement runs (after a one-second warm-up).",
            DefaultValueFactory = _ => 5,
        };
        var callers = new Option<int[]>("--callers")
        {
            Description = "Concurrent search callers to measure with.",
            DefaultValueFactory = _ => [1, 4],
            AllowMultipleArgumentsPerToken = true,
        };
        var writers = new Option<int[]>("--writers")
        {
            Description = "Concurrent writers to measure with.",
            DefaultValueFactory = _ => [1, 8],
            AllowMultipleArgumentsPerToken = true,
        };
        var pointsPerUpsert = new Option<int>("--points-per-upsert")
        {
            Description = "Points in each upsert of the write measurement.",
            DefaultValueFactory = _ => 8,
        };
        var loadBatch = new Option<int>("--load-batch") { Description = "Points per upsert while loading.", DefaultValueFactory = _ => 1000 };
        var limit = new Option<int>("--limit") { Description = "Search limit (top k).", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Random seed for vectors and queries.", DefaultValueFactory = _ => 42 };
        var storage = new Option<string?>("--storage")
        {
            Description = "Storage folder for the emulator (default: a new temporary folder, deleted afterwards).",
        };

        var command = new RootCommand("Measures QdrantEmulator search and write throughput through the official Qdrant.Client.")
        {
            points, dims, duration, callers, writers, pointsPerUpsert, loadBatch, limit, seed, storage,
        };
        command.SetAction((result, cancellationToken) => BenchmarkRunner.RunAsync(
            new BenchmarkSettings(
                Points: result.GetValue(points)!,
                Dims: result.GetValue(dims),
                Duration: TimeSpan.FromSeconds(result.GetValue(duration)),
                Callers: result.GetValue(callers)!,
                Writers: result.GetValue(writers)!,
                PointsPerUpsert: result.GetValue(pointsPerUpsert),
                LoadBatch: result.GetValue(loadBatch),
                Limit: result.GetValue(limit),
                Seed: result.GetValue(seed),
                StoragePath: result.GetValue(storage)),
            cancellationToken));
        return command;
    }
}

internal sealed record BenchmarkSettings(
    int[] Points,
    int Dims,
    TimeSpan Duration,
    int[] Callers,
    int[] Writers,
    int PointsPerUpsert,
    int LoadBatch,
    int Limit,
    int Seed,
    string? StoragePath)
{
    /// <summary>Throws with a message naming the option when a value cannot work.</summary>
    public void Validate()
    {
        if (Points.Length == 0 || Points.Any(p => p < 1))
        {
            throw new ArgumentException($"--points needs one or more positive sizes, was '{string.Join(' ', Points)}'.");
        }

        if (Dims is < 1 or > 65536)
        {
            throw new ArgumentException($"--dims must be 1..65536, was {Dims}.");
        }

        if (Duration <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--duration must be positive, was {Duration.TotalSeconds}.");
        }

        if (Callers.Any(c => c < 1) || Writers.Any(w => w < 1) || PointsPerUpsert < 1 || LoadBatch < 1 || Limit < 1)
        {
            throw new ArgumentException("--callers, --writers, --points-per-upsert, --load-batch and --limit must be positive.");
        }
    }
}
