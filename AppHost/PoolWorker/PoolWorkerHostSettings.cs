using Microsoft.Extensions.Configuration;

namespace MemoryAspire.Hosting;

/// <summary>
/// The AppHost's section <c>PoolWorker</c>: the steady load PoolWorker keeps for the dashboard, and the benchmark the
/// dashboard command asks for. Every benchmark field left unset takes PoolWorker's own default (as on its command line).
/// </summary>
internal sealed class PoolWorkerHostSettings
{
    public const string Section = "PoolWorker";

    /// <summary>Whether PoolWorker keeps a light steady load so the pool charts move. Default true; the Aspire tests turn it off.</summary>
    public bool SteadyLoad { get; set; } = true;

    /// <summary>The steady load's operations per second; null keeps PoolWorker's default.</summary>
    public int? SteadyLoadOperationsPerSecond { get; set; }

    public PoolWorkerBenchmarkSettings Benchmark { get; set; } = new();

    public static PoolWorkerHostSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<PoolWorkerHostSettings>() ?? new PoolWorkerHostSettings();
}

/// <summary>The body of PoolWorker's <c>POST /benchmark</c> (nulls are left out), and how long the command waits for it.</summary>
internal sealed class PoolWorkerBenchmarkSettings
{
    /// <summary>Operations per scenario and variant (scenarios 1–3), per round. PoolWorker's default is 1,000.</summary>
    public int? Iterations { get; set; }

    public int? Rounds { get; set; }

    public int? Warmup { get; set; }

    /// <summary>The saturation scenario's measured time per round, in seconds.</summary>
    public double? DurationSeconds { get; set; }

    /// <summary>A subset, as PoolWorker's <c>--scenarios</c> takes it (e.g. <c>sequential,recovery</c>).</summary>
    public string? Scenarios { get; set; }

    public string? Variants { get; set; }

    public string? Operations { get; set; }

    public string? Clients { get; set; }

    /// <summary>Where PoolWorker writes the report it serves; null keeps PoolWorker's default (a folder under the temp directory).</summary>
    public string? OutputFolder { get; set; }

    /// <summary>How long the dashboard command waits for the run to finish. Default 30 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
}
