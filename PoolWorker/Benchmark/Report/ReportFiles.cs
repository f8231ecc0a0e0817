namespace PoolWorker.Benchmark.Report;

/// <summary>The files a run writes into its output folder; their names are read by scripts and the web host.</summary>
internal static class ReportFiles
{
    public const string Json = "benchmark_results.json";
    public const string Markdown = "benchmark_results.md";
    public const string ThroughputChart = "throughput.png";
    public const string LatencyChart = "latency.png";

    public static async Task WriteAllAsync(BenchmarkReport report, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, Json), JsonReport.Serialize(report), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, Markdown), MarkdownReport.Render(report), cancellationToken);
        Charts.WriteThroughput(report, Path.Combine(folder, ThroughputChart));
        Charts.WriteLatency(report, Path.Combine(folder, LatencyChart));
    }
}
