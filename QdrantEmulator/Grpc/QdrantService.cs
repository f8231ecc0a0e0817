namespace QdrantEmulator.Grpc;

/// <summary>
/// The service type every Qdrant method is bound to. It holds nothing: handlers live in <see cref="RpcHandlers"/>.
/// </summary>
internal sealed class QdrantService;
