using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryAspire.Hosting;

/// <summary>PoolWorker under the AppHost: its steady load, what its report says about the route to Qdrant, and its dashboard commands.</summary>
internal static class PoolWorkerCommands
{
    internal const string RunBenchmarkCommandName = "poolworker-run-benchmark";
    internal const string RunRecoveryCommandName = "poolworker-run-recovery";

    internal const string SteadyLoadEnabledVariable = "PoolWorker__SteadyLoad__Enabled";
    internal const string SteadyLoadRateVariable = "PoolWorker__SteadyLoad__OperationsPerSecond";
    internal const string EndpointNoteVariable = "PoolWorker__Benchmark__EndpointNote";
    internal const string AspNetCoreLogLevelVariable = "Logging__LogLevel__Microsoft.AspNetCore";
    internal const string OutputFolderVariable = "PoolWorker__Benchmark__OutputFolder";

    /// <summary>
    /// Settings from the AppHost's <c>PoolWorker</c> section, and two commands: "Run benchmark" (every scenario, the
    /// recovery one with the AppHost restarting Qdrant) and "Run recovery scenario" (that one alone, a few seconds).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPoolWorkerBenchmark(this IResourceBuilder<ProjectResource> builder, QdrantReference qdrant)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(qdrant);

        var settings = PoolWorkerHostSettings.From(builder.ApplicationBuilder.Configuration);
        builder.WithEnvironment(SteadyLoadEnabledVariable, settings.SteadyLoad ? "true" : "false");
        if (settings.SteadyLoadOperationsPerSecond is { } rate)
        {
            builder.WithEnvironment(SteadyLoadRateVariable, rate.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        builder.WithEnvironment(EndpointNoteVariable, DescribeRoute(qdrant));

        // The command polls PoolWorker twice a second; ASP.NET Core's per-request lines would bury the benchmark's
        // progress in the dashboard's console log, which is where it is meant to be read.
        builder.WithEnvironment(AspNetCoreLogLevelVariable, "Warning");
        if (!string.IsNullOrWhiteSpace(settings.Benchmark.OutputFolder))
        {
            builder.WithEnvironment(OutputFolderVariable, Path.GetFullPath(settings.Benchmark.OutputFolder, builder.ApplicationBuilder.AppHostDirectory));
        }

        var http = builder.GetEndpoint("http");
        var benchmark = settings.Benchmark;
        builder.WithCommand(
            RunBenchmarkCommandName,
            "Run benchmark",
            context => new PoolWorkerBenchmarkRun(context, http, qdrant).RunAsync(Request(benchmark, scenarios: benchmark.Scenarios), benchmark.Timeout),
            new CommandOptions
            {
                Description = "Runs PoolWorker's full benchmark (the pool against its baselines; the AppHost restarts Qdrant for the recovery scenario). Progress in poolworker's logs; the report at /benchmark/latest.",
                IconName = "DataBarVertical",
                ConfirmationMessage = "Run the full benchmark? It takes minutes at the default counts and pauses the steady load; Qdrant is restarted once.",
                UpdateState = WhenHealthy,
            });
        builder.WithCommand(
            RunRecoveryCommandName,
            "Run recovery scenario",
            context => new PoolWorkerBenchmarkRun(context, http, qdrant).RunAsync(Request(benchmark, scenarios: "recovery"), benchmark.Timeout),
            new CommandOptions
            {
                Description = "Stops and starts Qdrant while 10 clients read through a fresh pool: failed operations, time to the first success, time until every connection is healthy, broken connections replaced.",
                IconName = "ArrowSync",
                UpdateState = WhenHealthy,
            });
        return builder;
    }

    private static ResourceCommandState WhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus is HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    /// <summary>POST /benchmark's body: unset fields are left out, so PoolWorker's defaults apply.</summary>
    internal static Dictionary<string, object> Request(PoolWorkerBenchmarkSettings settings, string? scenarios)
    {
        var body = new Dictionary<string, object>();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                body[name] = value;
            }
        }

        Add("iterations", settings.Iterations);
        Add("rounds", settings.Rounds);
        Add("warmup", settings.Warmup);
        Add("durationSeconds", settings.DurationSeconds);
        Add("scenarios", scenarios);
        Add("variants", settings.Variants);
        Add("operations", settings.Operations);
        Add("clients", settings.Clients);
        return body;
    }

    /// <summary>What the report says about the route from PoolWorker to Qdrant, read from the model rather than assumed.</summary>
    internal static string DescribeRoute(QdrantReference qdrant)
    {
        if (qdrant.Server is not { } server)
        {
            return $"from ConnectionStrings:qdrant: Qdrant:Mode={qdrant.Mode}, a server the AppHost does not run; direct, no orchestrator proxy";
        }

        var grpc = server.Resource.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.Name == QdrantServerResource.PrimaryEndpointName);
        return grpc is { IsProxied: false }
            ? $"from ConnectionStrings:qdrant: Qdrant:Mode={qdrant.Mode}, '{server.Resource.Name}' directly (the AppHost does not proxy Qdrant's endpoints)"
            : $"from ConnectionStrings:qdrant: Qdrant:Mode={qdrant.Mode}, '{server.Resource.Name}' THROUGH the orchestrator's proxy (figures include the proxy's hop)";
    }
}
