using Grpc.Core;

namespace QdrantPool.Client;

/// <summary>
/// A server-streaming call on one lease, held from the start of the call until the stream ends, fails or is disposed:
/// the connection carries the stream all that time, so it must count as used. Not retried (part of the stream may
/// already have been read).
/// </summary>
internal sealed class PooledServerStream<TRequest, TResponse> : IAsyncStreamReader<TResponse>
    where TRequest : class
    where TResponse : class
{
    private readonly QdrantConnectionPool _pool;
    private readonly Task<(QdrantLease Lease, AsyncServerStreamingCall<TResponse> Call)> _started;
    private int _released;

    public PooledServerStream(QdrantConnectionPool pool, Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        _pool = pool;
        _started = StartAsync(method, host, options, request);
    }

    public TResponse Current => _started.IsCompletedSuccessfully
        ? _started.Result.Call.ResponseStream.Current
        : throw new InvalidOperationException("MoveNext has not been called.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var (lease, call) = await _started.ConfigureAwait(false);
        try
        {
            if (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (Exception ex)
        {
            _pool.OnCallFailed(lease, ex);
            Release(lease);
            throw;
        }

        Release(lease);
        return false;
    }

    public async Task<Metadata> ResponseHeadersAsync() => await (await _started.ConfigureAwait(false)).Call.ResponseHeadersAsync.ConfigureAwait(false);

    public Status GetStatus() => _started.IsCompletedSuccessfully
        ? _started.Result.Call.GetStatus()
        : throw new InvalidOperationException("The call has not started or failed to start.");

    public Metadata GetTrailers() => _started.IsCompletedSuccessfully ? _started.Result.Call.GetTrailers() : [];

    /// <summary>Ends the call early; the lease goes back as soon as the call has started, if it has not yet.</summary>
    public void Dispose() => _ = DisposeWhenStartedAsync();

    private async Task DisposeWhenStartedAsync()
    {
        try
        {
            var (lease, call) = await _started.ConfigureAwait(false);
            call.Dispose();
            Release(lease);
        }
        catch
        {
            // A call that never started holds no lease; its failure was the caller's to see.
        }
    }

    private async Task<(QdrantLease, AsyncServerStreamingCall<TResponse>)> StartAsync(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var lease = await _pool.AcquireAsync(options.CancellationToken).ConfigureAwait(false);
        try
        {
            return (lease, lease.Connection!.Transport.CallInvoker.AsyncServerStreamingCall(method, host, options, request));
        }
        catch
        {
            await _pool.ReleaseAsync(lease).ConfigureAwait(false);
            throw;
        }
    }

    private void Release(QdrantLease lease)
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _ = _pool.ReleaseAsync(lease);
        }
    }
}
