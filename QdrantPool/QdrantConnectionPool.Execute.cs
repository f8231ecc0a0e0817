using Polly;
using Polly.CircuitBreaker;
using Qdrant.Client;
using QdrantPool.Resilience;

namespace QdrantPool;

public sealed partial class QdrantConnectionPool
{
    /// <inheritdoc />
    public Task<T> ExecuteAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken = default) =>
        ExecuteAsync(operation, retryOnDeadlineExceeded: false, cancellationToken);

    /// <inheritdoc />
    public Task<T> ExecuteAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, bool retryOnDeadlineExceeded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ThrowIfDisposed();
        return ExecuteCoreAsync(operation, retryOnDeadlineExceeded, cancellationToken);
    }

    /// <inheritdoc />
    public Task ExecuteAsync(Func<QdrantClient, CancellationToken, Task> operation, CancellationToken cancellationToken = default) =>
        ExecuteAsync(operation, retryOnDeadlineExceeded: false, cancellationToken);

    /// <inheritdoc />
    public Task ExecuteAsync(Func<QdrantClient, CancellationToken, Task> operation, bool retryOnDeadlineExceeded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ThrowIfDisposed();
        return ExecuteCoreAsync(
            async (client, token) =>
            {
                await operation(client, token).ConfigureAwait(false);
                return true;
            },
            retryOnDeadlineExceeded,
            cancellationToken);
    }

    /// <summary>
    /// Each attempt borrows its own lease, so a retry after a broken connection lands on another one, and returns it
    /// before the backoff delay rather than holding it through the wait.
    /// </summary>
    private async Task<T> ExecuteCoreAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, bool retryOnDeadlineExceeded, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PoolResilience.RetryOnDeadlineExceeded, retryOnDeadlineExceeded);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        var lease = await state.Pool.AcquireAsync(ctx.CancellationToken).ConfigureAwait(false);
                        try
                        {
                            return Outcome.FromResult(await state.Operation(lease.Client, ctx.CancellationToken).ConfigureAwait(false));
                        }
                        finally
                        {
                            await state.Pool.ReleaseAsync(lease).ConfigureAwait(false);
                        }
                    }
                    catch (Exception ex)
                    {
                        // An outcome, not a throw: Polly decides on it without the cost of rethrowing through each strategy.
                        return Outcome.FromException<T>(ex);
                    }
                },
                context,
                (Pool: this, Operation: operation)).ConfigureAwait(false);

            if (outcome.Exception is BrokenCircuitException broken and not QdrantPoolCircuitOpenException)
            {
                throw QdrantPoolCircuitOpenException.Create(_options, broken);
            }

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
