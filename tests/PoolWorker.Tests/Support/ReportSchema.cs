using System.Text.Json;
using Json.Schema;

namespace PoolWorker.Tests.Support;

/// <summary>benchmark_results.schema.json, the documented schema PoolWorker ships beside its binary.</summary>
internal static class ReportSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Benchmark", "Report", "benchmark_results.schema.json"))));

    public static EvaluationResults Evaluate(string json) =>
        Schema.Value.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

    public static void AssertValid(string json)
    {
        var result = Evaluate(json);
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"));
        Assert.True(result.IsValid, "The report does not match benchmark_results.schema.json:\n" + string.Join("\n", errors));
    }
}
