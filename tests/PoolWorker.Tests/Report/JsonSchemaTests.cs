using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using PoolWorker.Benchmark.Report;
using PoolWorker.Tests.Support;

namespace PoolWorker.Tests.Report;

public class JsonSchemaTests
{
    [Fact]
    public void Serialized_Report_ValidatesAgainstTheDocumentedSchema()
    {
        var json = JsonReport.Serialize(SampleReport.Report(SampleReport.Passing()));

        ReportSchema.AssertValid(json);
    }

    [Fact]
    public void Schema_RejectsAReportWithoutANamedField()
    {
        var node = JsonNode.Parse(JsonReport.Serialize(SampleReport.Report(SampleReport.Passing())))!;
        node["scenarios"]![0]!["variants"]![0]!.AsObject().Remove("latencyMs");

        Assert.False(ReportSchema.Evaluate(node.ToJsonString()).IsValid);
    }

    [Fact]
    public void Serialized_Report_UsesTheNamesCheckedFromOutside()
    {
        using var document = JsonDocument.Parse(JsonReport.Serialize(SampleReport.Report(SampleReport.Passing())));
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        foreach (var name in new[] { "cores", "os", "runtime" })
        {
            Assert.True(root.GetProperty("machine").TryGetProperty(name, out _), name);
        }

        Assert.Equal(JsonValueKind.Object, root.GetProperty("settings").ValueKind);
        var scenario = root.GetProperty("scenarios")[0];
        foreach (var name in new[] { "name", "clients", "operation", "variants" })
        {
            Assert.True(scenario.TryGetProperty(name, out _), name);
        }

        var variants = scenario.GetProperty("variants").EnumerateArray().ToList();
        Assert.Equal(["pool-exclusive", "pool-shared", "singleton", "per-operation"], variants.Select(v => v.GetProperty("variant").GetString()));
        var pool = variants[1];
        foreach (var name in new[] { "successes", "failures", "durationSeconds", "throughput", "healthCheckFailureRate" })
        {
            Assert.True(pool.TryGetProperty(name, out _), name);
        }

        Assert.All(new[] { "min", "p50", "p95", "p99", "max" }, n => pool.GetProperty("latencyMs").GetProperty(n).GetDouble());
        Assert.All(new[] { "avg", "p95", "max" }, n => pool.GetProperty("acquireMs").GetProperty(n).GetDouble());
        Assert.All(new[] { "peak", "end" }, n => pool.GetProperty("connections").GetProperty(n).GetInt32());
        Assert.Equal(JsonValueKind.Null, variants[2].GetProperty("acquireMs").ValueKind);
        var criterion = root.GetProperty("criteria")[0];
        Assert.All(new[] { "name", "passed", "detail" }, n => Assert.True(criterion.TryGetProperty(n, out _), n));
    }
}
