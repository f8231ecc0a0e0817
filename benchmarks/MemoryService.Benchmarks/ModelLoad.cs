using System.Diagnostics;
using MemoryService.Embeddings;

namespace MemoryService.Benchmarks;

/// <summary>
/// The one-time cost BenchmarkDotNet cannot show: loading the model (first call after start-up), measured in fresh
/// generators, five times in this process. The first round also pays the JIT and ONNX Runtime's native library load.
/// </summary>
internal static class ModelLoad
{
    public static async Task RunAsync()
    {
        Console.WriteLine($"Machine: {Environment.ProcessorCount} logical cores, load average {LoadAverage()}");
        for (var round = 1; round <= 5; round++)
        {
            using var generator = new ArcticXsEmbeddingGenerator();
            var stopwatch = Stopwatch.StartNew();
            await generator.GenerateAsync([SampleTexts.Sentence]);
            var first = stopwatch.Elapsed;
            stopwatch.Restart();
            await generator.GenerateAsync([SampleTexts.Sentence + " again"]);
            var second = stopwatch.Elapsed;
            Console.WriteLine($"round {round}: first call (load + embed) {first.TotalMilliseconds,8:F1} ms; next call {second.TotalMilliseconds,6:F1} ms");
        }

        Console.WriteLine($"load average after: {LoadAverage()}");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
