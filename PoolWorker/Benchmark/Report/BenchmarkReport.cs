using System.Text.Json;

namespace PoolWorker.Benchmark.Report;

// The shape of benchmark_results.json (camelCase). Documented field by field in benchmark_results.schema.json and
// PoolWorker/README.md; bump SchemaVersion when a field changes meaning or goes away.

internal sealed record BenchmarkReport(
    int SchemaVersion,
    DateTimeOffset GeneratedAt,
    string? GitCommit,
    MachineInfo Machine,
    SettingsInfo Settings,
    IReadOnlyList<ScenarioResult> Scenarios,
    IReadOnlyList<SkippedScenario> Skipped,
    IReadOnlyList<ComparisonResult> Comparisons,
    NoiseInfo Noise,
    IReadOnlyList<CriterionResult> Criteria,
    bool Passed)
{
    public const int CurrentSchemaVersion = 1;
}

internal sealed record MachineInfo(int Cores, string Os, string Runtime, string Architecture, string HostName, double[]? LoadAverageAtStart, double[]? LoadAverageAtEnd);

internal sealed record SettingsInfo(
    string Endpoint,
    string EndpointNote,
    bool ApiKey,
    int Iterations,
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<string> Variants,
    IReadOnlyList<string> Operations,
    IReadOnlyList<int> Clients,
    int RecoveryClients,
    double SaturationSeconds,
    int WarmupOperations,
    int Rounds,
    int PoolMaxSize,
    int PoolMaxLeasesPerConnection,
    string Collection,
    int SeedPoints,
    int VectorSize,
    int RandomSeed,
    string? RestartCommand,
    string? MemoryUrl);

internal sealed record ScenarioResult(string Name, int Number, int Clients, string Operation, IReadOnlyList<VariantResult> Variants);

internal sealed record VariantResult(
    string Variant,
    long Successes,
    long Failures,
    double DurationSeconds,
    double Throughput,
    LatencyMs LatencyMs,
    AcquireMs? AcquireMs,
    ConnectionCounts Connections,
    double HealthCheckFailureRate,
    double CpuPerOperationUs,
    long HealthChecks,
    long HealthCheckFailures,
    long? ConnectionsCreated,
    IReadOnlyDictionary<string, long>? ConnectionsRecycled,
    IReadOnlyList<double> RoundThroughputs,
    IReadOnlyList<ErrorSummary> Errors,
    RecoveryFigures? Recovery,
    JsonElement? MemoryServicePool);

internal sealed record LatencyMs(double Min, double P50, double P95, double P99, double Max, double Mean);

internal sealed record AcquireMs(double Avg, double P95, double Max);

internal sealed record ConnectionCounts(int Peak, int End);

internal sealed record ErrorSummary(string Kind, long Count, string FirstMessage);

internal sealed record RecoveryFigures(
    double RestartCommandSeconds,
    long FailedOperations,
    double? TimeToFirstSuccessSeconds,
    double? TimeToAllHealthySeconds,
    long BrokenConnections,
    long ReplacementConnections,
    bool EveryBrokenConnectionReplaced,
    bool Recovered);

internal sealed record SkippedScenario(string Name, string Reason);

/// <summary>
/// Variant ÷ baseline. <c>MedianRoundRatio</c> pairs the two variants' throughputs round by round (each pair ran close
/// together in time) and takes the median: steadier than the overall ratio when the machine's load drifts.
/// </summary>
internal sealed record ComparisonResult(string Scenario, int Clients, string Operation, string Variant, string Baseline, double? ThroughputRatio, double? P95Ratio, double? MedianRoundRatio);

internal sealed record NoiseInfo(string Description, double? HighConcurrencySpread, double? LargestSpread);

/// <summary>One success criterion; <c>passed</c> is null when it could not be judged (its scenario was skipped or not run).</summary>
internal sealed record CriterionResult(string Name, bool? Passed, string Detail);
