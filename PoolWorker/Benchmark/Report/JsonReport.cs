using System.Text.Encodings.Web;
using System.Text.Json;

namespace PoolWorker.Benchmark.Report;

internal static class JsonReport
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Keep "≥", "×" and the like readable in the file.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(BenchmarkReport report) => JsonSerializer.Serialize(report, Options);

    public static BenchmarkReport? Deserialize(string json) => JsonSerializer.Deserialize<BenchmarkReport>(json, Options);
}
