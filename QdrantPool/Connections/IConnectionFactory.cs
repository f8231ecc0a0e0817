using Grpc.Core;
using Qdrant.Client;

namespace QdrantPool.Connections;

/// <summary>Opens physical connections. The pool uses gRPC channels; unit tests substitute a fake.</summary>
internal interface IConnectionFactory
{
    /// <summary>Opens one connection, ready for calls (the TCP connection is established where the transport allows).</summary>
    ValueTask<IConnectionTransport> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>One physical connection: a client and everything it owns, disposed together.</summary>
internal interface IConnectionTransport : IDisposable
{
    QdrantClient Client { get; }

    /// <summary>The invoker under <see cref="Client"/>: the pooled <c>CallInvoker</c> sends each call through it.</summary>
    CallInvoker CallInvoker { get; }

    /// <summary>True when the transport already knows the connection is broken (the fast health tier).</summary>
    bool IsFaulted { get; }
}
