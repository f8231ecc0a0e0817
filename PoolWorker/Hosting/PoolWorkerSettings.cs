namespace PoolWorker.Hosting;

/// <summary>The web host's settings, section <c>PoolWorker</c>.</summary>
internal sealed class PoolWorkerSettings
{
    public const string Section = "PoolWorker";

    /// <summary>PoolWorker's own collection (never MemoryService's). Default <c>poolworker-benchmark</c>.</summary>
    public string Collection { get; set; } = "poolworker-benchmark";

    public SteadyLoadSettings SteadyLoad { get; set; } = new();

    public BenchmarkHostSettings Benchmark { get; set; } = new();
}

internal sealed class SteadyLoadSettings
{
    /// <summary>Whether a light steady load runs so the dashboard's pool charts move. Default true (the Aspire tests turn it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Operations per second (Get of 1–10 ids through the pool). Default 200.</summary>
    public int OperationsPerSecond { get; set; } = 200;
}

internal sealed class BenchmarkHostSettings
{
    /// <summary>Where <c>POST /benchmark</c> writes its report. Default a folder under the temp directory.</summary>
    public string OutputFolder { get; set; } = Path.Combine(Path.GetTempPath(), "poolworker-benchmark");

    /// <summary>
    /// What the report says about the route to Qdrant. Under the AppHost the endpoint comes from
    /// <c>ConnectionStrings:qdrant</c>; whether the orchestrator proxies it is the AppHost's choice, so it says so here.
    /// </summary>
    public string EndpointNote { get; set; } = "from ConnectionStrings:qdrant; through the orchestrator's proxy unless the AppHost marks the endpoint as not proxied";

    /// <summary>MemoryService's API key for the end-to-end scenario; the base URL comes from service discovery (<c>services:memoryservice:http:0</c>).</summary>
    public string? MemoryKey { get; set; }
}
