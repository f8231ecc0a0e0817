using PoolWorker.Benchmark;
using PoolWorker.Benchmark.Seeding;

namespace PoolWorker.Hosting;

internal static class Extensions
{
    /// <summary>The pool (as any Aspire app registers it), the steady load for the dashboard, and the background benchmark job.</summary>
    public static IHostApplicationBuilder AddPoolWorker(this IHostApplicationBuilder builder)
    {
        builder.AddQdrantConnectionPool("qdrant");
        builder.Services.Configure<PoolWorkerSettings>(builder.Configuration.GetSection(PoolWorkerSettings.Section));
        // One seeding at a time: the start-up seeding and every benchmark run share it.
        builder.Services.AddSingleton<CollectionSeeding>();
        builder.Services.AddSingleton<BenchmarkJob>();
        builder.Services.AddSingleton<CallerRestart>();
        builder.Services.AddHostedService<SteadyLoadWorker>();
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(BenchmarkTracing.SourceName));
        return builder;
    }
}
