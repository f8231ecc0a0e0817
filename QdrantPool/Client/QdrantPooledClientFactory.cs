using Microsoft.Extensions.Logging;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace QdrantPool.Client;

/// <summary>Builds the drop-in <see cref="QdrantClient"/> whose every call borrows a lease from a pool.</summary>
internal static class QdrantPooledClientFactory
{
    /// <summary>
    /// A <see cref="QdrantClient"/> over <paramref name="pool"/>. It owns nothing: disposing it leaves the pool open, and
    /// the API key is that of the pool's connections and the per-call deadline its GrpcTimeout (shared by the retries of a call).
    /// </summary>
    public static QdrantClient Create(QdrantConnectionPool pool, ILoggerFactory? loggerFactory = null) =>
        new(new QdrantGrpcClient(new PooledCallInvoker(pool)), pool.Options.GrpcTimeout ?? TimeSpan.Zero, loggerFactory);
}
