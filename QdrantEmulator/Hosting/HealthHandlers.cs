using Qdrant.Client.Grpc;
using QdrantEmulator.Grpc;

namespace QdrantEmulator.Hosting;

/// <summary>qdrant.Qdrant/HealthCheck, answered as Qdrant answers it (and exempt from auth).</summary>
internal static class HealthHandlers
{
    public const string Title = "qdrant - vector search engine";

    /// <summary>The Qdrant version whose API the emulator follows (that of the Qdrant.Client it is built with).</summary>
    public const string Version = "1.20.0";

    public static RpcHandlers MapHealth(this RpcHandlers handlers) =>
        handlers.Add<HealthCheckRequest, HealthCheckReply>(
            "/qdrant.Qdrant/HealthCheck",
            (_, _) => Task.FromResult(new HealthCheckReply { Title = Title, Version = Version }));
}
