using Microsoft.Extensions.Logging;

namespace PoolWorker.Benchmark.Variants;

internal static class ClientSources
{
    public static IClientSource Create(VariantKind kind, BenchmarkSettings settings, string runName, ILoggerFactory loggerFactory) => kind switch
    {
        VariantKind.PoolExclusive or VariantKind.PoolShared => new PoolClientSource(kind, settings, runName, loggerFactory),
        VariantKind.Singleton => new SingletonClientSource(settings),
        VariantKind.PerOperation => new PerOperationClientSource(settings),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
