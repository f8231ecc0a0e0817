using System.CommandLine;
using PoolWorker.Benchmark;
using PoolWorker.Benchmark.CommandLine;

namespace PoolWorker.Tests.CommandLine;

public class BenchmarkOptionsTests
{
    private static (ParseResult Result, BenchmarkOptions Options) Parse(string commandLine)
    {
        var options = new BenchmarkOptions();
        var command = new Command("benchmark");
        options.AddTo(command);
        return (command.Parse(commandLine), options);
    }

    [Fact]
    public void Defaults_AreTheIssuesScenarioShape()
    {
        var (result, options) = Parse("--endpoint http://127.0.0.1:6334");
        Assert.Empty(result.Errors);

        var settings = options.Read(result);

        Assert.Equal(1_000, settings.Iterations);
        Assert.Equal([1, 5, 10, 64], settings.Clients);
        Assert.Equal(ScenarioKinds.All, settings.Scenarios);
        Assert.Equal(VariantKinds.All, settings.Variants);
        Assert.Equal([OperationKind.Get, OperationKind.Search], settings.Operations);
        Assert.Null(settings.RestartCommand);
        Assert.Null(settings.MemoryUrl);
    }

    [Fact]
    public void Subsets_AreParsedByNumberOrName()
    {
        var (result, options) = Parse("--endpoint http://h:6334 --key k --iterations 5000 --out /tmp/x --scenarios 3,saturation --variants pool-shared,singleton --operations search --clients 2,4,8,16 --duration 3 --restart-command \"systemctl restart qdrant\" --memory-url http://127.0.0.1:5080 --memory-key m");
        Assert.Empty(result.Errors);

        var settings = options.Read(result);

        Assert.Equal([ScenarioKind.HighConcurrency, ScenarioKind.Saturation], settings.Scenarios);
        Assert.Equal([VariantKind.PoolShared, VariantKind.Singleton], settings.Variants);
        Assert.Equal([OperationKind.Search], settings.Operations);
        Assert.Equal([2, 4, 8, 16], settings.Clients);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.SaturationDuration);
        Assert.Equal("systemctl restart qdrant", settings.RestartCommand);
        Assert.Equal(new Uri("http://127.0.0.1:5080"), settings.MemoryUrl);
        Assert.Equal(("k", "m", 5_000, "/tmp/x"), (settings.ApiKey, settings.MemoryKey, settings.Iterations, settings.OutputFolder));
    }

    [Theory]
    [InlineData("", "--endpoint")]
    [InlineData("--endpoint not-a-url", "not an absolute http(s) URL")]
    [InlineData("--endpoint http://h:1 --iterations 0", "--iterations must be at least 1")]
    [InlineData("--endpoint http://h:1 --scenarios 7", "unknown scenario '7'")]
    [InlineData("--endpoint http://h:1 --variants pooled", "unknown variant 'pooled'")]
    [InlineData("--endpoint http://h:1 --clients 1,2,3", "give four client counts")]
    [InlineData("--endpoint http://h:1 --duration 0", "--duration must be more than 0")]
    public void BadInput_IsRefusedNamingTheOption(string commandLine, string expected)
    {
        var (result, _) = Parse(commandLine);

        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryOption_HasHelpText()
    {
        var command = new Command("benchmark");
        new BenchmarkOptions().AddTo(command);

        Assert.All(command.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal)), o => Assert.False(string.IsNullOrWhiteSpace(o.Description), o.Name));
        Assert.Superset(
            new HashSet<string> { "--endpoint", "--key", "--iterations", "--out", "--scenarios", "--variants", "--clients", "--duration", "--warmup", "--restart-command", "--memory-url", "--memory-key" },
            command.Options.Select(o => o.Name).ToHashSet());
    }
}
