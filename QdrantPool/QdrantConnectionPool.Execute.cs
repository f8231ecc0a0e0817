using Polly;
using Polly.CircuitBreaker;
using Qdrant.Client;
using QdrantPool.Resilience;
using QdrantPool.Telemetry;

namespace QdrantPool;

public sealed partial class QdrantConnectionPool
{
    /// <summary>The pipeline every call through the pool runs in: from Polly's registry under the Aspire integration, else built from the options.</summary>
    internal ResiliencePipeline Pipeline => _pipeline;

    /// <inheritdoc />
    public Task<T> ExecuteAsync<T>(Func<QdrantClient, CancellationToken, Task<T>> operation, bool idempotent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ThrowIfDisposed();
        return ExecuteCoreAsync(static (lease, op, token) => op(lease.Client, token), operation, idempotent, cancellationToken);
    }

    /// <inheritdoc />
    public Task ExecuteAsync(Func<QdrantClient, CancellationToken, Task> operation, bool idempotent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ThrowIfDisposed();
        return ExecuteCoreAsync(
            static async (lease, op, token) =>
            {
                await op(lease.Client, token).ConfigureAwait(false);
                return true;
            },
            operation,
            idempotent,
            cancellationToken);
    }

    /// <summary>
    /// The one path of every call through the pool (ExecuteAsync and the pooled QdrantClient): the pool's pipeline
    /// (retry by the table in <see cref="TransientFailures"/>, then the circuit breaker), one lease per attempt.
    /// </summary>
    /// <remarks>
    /// Each attempt borrows its own lease and returns it before the backoff delay rather than holding it through the
    /// wait. A connection-level failure takes its connection out of rotation before the lease goes back
    /// (<see cref="OnCallFailed"/>), so the retry lands on another connection.
    /// </remarks>
    internal async Task<T> ExecuteCoreAsync<T, TState>(Func<QdrantLease, TState, CancellationToken, Task<T>> attempt, TState state, bool idempotent, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PoolResilience.Idempotent, idempotent);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, s) =>
                {
                    var tracing = PoolMetrics.ActivitySource.HasListeners();
                    var started = tracing ? s.Pool._time.GetTimestamp() : 0;
                    QdrantLease lease;
                    try
                    {
                        lease = await s.Pool.AcquireAsync(ctx.CancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        // Nothing was sent without a lease: any call may retry this failure. Set only on this (rare) path,
                        // so a plain call boxes nothing into the context's properties.
                        ctx.Properties.Set(PoolResilience.RequestSent, false);

                        // An outcome, not a throw: Polly decides on it without the cost of rethrowing through each strategy.
                        return Outcome.FromException<T>(ex);
                    }

                    if (!ctx.Properties.GetValue(PoolResilience.RequestSent, true))
                    {
                        ctx.Properties.Set(PoolResilience.RequestSent, true);
                    }

                    if (tracing)
                    {
                        QdrantCallTracing.SetAcquireWait(s.Pool._time.GetElapsedTime(started));
                    }

                    try
                    {
                        return Outcome.FromResult(await s.Attempt(lease, s.State, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        s.Pool.OnCallFailed(lease, ex);
                        return Outcome.FromException<T>(ex);
                    }
                    finally
                    {
                        await s.Pool.ReleaseAsync(lease).ConfigureAwait(false);
                    }
                },
                context,
                (Pool: this, Attempt: attempt, State: state)).ConfigureAwait(false);

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
