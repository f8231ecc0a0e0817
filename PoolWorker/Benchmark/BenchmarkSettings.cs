namespace PoolWorker.Benchmark;

/// <summary>Everything one benchmark run needs; the command line and the web host both build one.</summary>
internal sealed record BenchmarkSettings
{
    public required Uri Endpoint { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>Operations per scenario and variant in the counted scenarios (1–3), per round.</summary>
    public int Iterations { get; init; } = 1_000;

    public IReadOnlyList<ScenarioKind> Scenarios { get; init; } = ScenarioKinds.All;

    public IReadOnlyList<VariantKind> Variants { get; init; } = VariantKinds.All;

    public IReadOnlyList<OperationKind> Operations { get; init; } = [OperationKind.Get, OperationKind.Search];

    /// <summary>Clients of scenarios 1–4, in that order.</summary>
    public IReadOnlyList<int> Clients { get; init; } = [1, 5, 10, 64];

    public int RecoveryClients { get; init; } = 10;

    /// <summary>How long the saturation scenario (4) measures, per round.</summary>
    public TimeSpan SaturationDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Operations run before each measured phase and not counted.</summary>
    public int WarmupOperations { get; init; } = 200;

    /// <summary>Every scenario runs each variant this many times, in a rotated order, so drift favours none.</summary>
    public int Rounds { get; init; } = 2;

    public int PoolMaxSize { get; init; } = 5;

    public string Collection { get; init; } = "poolworker-benchmark";

    public int SeedPoints { get; init; } = 10_000;

    public int VectorSize { get; init; } = 64;

    public int RandomSeed { get; init; } = 42;

    public string? RestartCommand { get; init; }

    /// <summary>Why the recovery scenario is skipped when there is no restarter; the command line and the web host say it differently.</summary>
    public string NoRestarterReason { get; init; } = "no --restart-command given: nothing could restart the server";

    public Uri? MemoryUrl { get; init; }

    public string? MemoryKey { get; init; }

    /// <summary>How the endpoint is reached, when it may not be direct (e.g. through an orchestrator's proxy).</summary>
    public string EndpointNote { get; init; } = "direct";

    public required string OutputFolder { get; init; }
}
