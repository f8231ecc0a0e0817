using Grpc.Core;
using QdrantPool.Resilience;

namespace QdrantPool.Client;

/// <summary>One unary call through the pool: every attempt on a lease of its own, the last attempt's call kept for its headers, status and trailers.</summary>
internal sealed class PooledUnaryCall<TRequest, TResponse>
    where TRequest : class
    where TResponse : class
{
    private readonly Method<TRequest, TResponse> _method;
    private readonly string? _host;
    private readonly CallOptions _options;
    private readonly TRequest _request;
    private AsyncUnaryCall<TResponse>? _attempt;
    private int _disposed;

    public PooledUnaryCall(QdrantConnectionPool pool, Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        _method = method;
        _host = host;
        _options = options;
        _request = request;
        ResponseAsync = pool.ExecuteCoreAsync(
            static (lease, self, token) => self.SendAsync(lease, token),
            this,
            QdrantMethods.IsIdempotent(method.FullName),
            options.CancellationToken);
    }

    public Task<TResponse> ResponseAsync { get; }

    public async Task<Metadata> ResponseHeadersAsync()
    {
        try
        {
            await ResponseAsync.ConfigureAwait(false);
        }
        catch
        {
            // The headers of a failed call are those of its last attempt, if one was sent.
        }

        return Volatile.Read(ref _attempt) is { } attempt ? await attempt.ResponseHeadersAsync.ConfigureAwait(false) : [];
    }

    public Status GetStatus()
    {
        if (!ResponseAsync.IsCompleted)
        {
            throw new InvalidOperationException("The call has not finished: its status is not known yet.");
        }

        return ResponseAsync.Exception?.InnerException switch
        {
            RpcException rpc => rpc.Status,
            { } other => new Status(StatusCode.Unavailable, other.Message, other),
            null when ResponseAsync.IsCanceled => new Status(StatusCode.Cancelled, "The call was cancelled."),
            null => Volatile.Read(ref _attempt)?.GetStatus() ?? Status.DefaultSuccess,
        };
    }

    public Metadata GetTrailers() => Volatile.Read(ref _attempt) is { } attempt && attempt.ResponseAsync.IsCompleted ? attempt.GetTrailers() : [];

    /// <summary>Cancels the attempt in flight; the pipeline does not retry a cancelled call.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Volatile.Read(ref _attempt)?.Dispose();
        }
    }

    private Task<TResponse> SendAsync(QdrantLease lease, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "The call was disposed."));
        }

        // The caller's deadline is absolute, so every attempt shares it; the token is the pipeline's (the caller's).
        var attempt = lease.Connection!.Transport.CallInvoker.AsyncUnaryCall(_method, _host, _options.WithCancellationToken(cancellationToken), _request);
        Volatile.Write(ref _attempt, attempt);
        return attempt.ResponseAsync;
    }
}
