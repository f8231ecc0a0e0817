using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace QdrantPool.Resilience;

/// <summary>The pool's one resilience pipeline: retry outside, circuit breaker inside.</summary>
/// <remarks>
/// Built once per pool: by the pool itself from its options when it is made with <c>new</c>, or taken from Polly's
/// registry under <see cref="QdrantPoolResilience.PipelineKey"/> when the Aspire integration makes it.
/// </remarks>
internal static class PoolResilience
{
    /// <summary>Set by every call through the pool: the caller's (or the method table's) word that the call is safe to repeat.</summary>
    public static readonly ResiliencePropertyKey<bool> Idempotent = QdrantPoolResilience.Idempotent;

    /// <summary>False while an attempt is still acquiring its lease: nothing has been sent, so any call may retry its failure.</summary>
    public static readonly ResiliencePropertyKey<bool> RequestSent = new("QdrantPool.RequestSent");

    public static ResiliencePipeline Build(QdrantConnectionPoolOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { Name = $"QdrantPool-{options.Name}", TimeProvider = timeProvider };
        return Configure(builder, options).Build();
    }

    /// <summary>Adds the pool's retry and circuit breaker, read from <paramref name="options"/>, to <paramref name="builder"/>.</summary>
    public static ResiliencePipelineBuilder Configure(ResiliencePipelineBuilder builder, QdrantConnectionPoolOptions options)
    {
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                UseJitter = options.UseRetryJitter,
                ShouldHandle = static args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context)),
            });
        }

        // Inside the retry, so every attempt counts towards the failure ratio and an open circuit stops retrying at once
        // (BrokenCircuitException is not transient). A deadline counts as a failure here whatever the call is.
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            ShouldHandle = static args => ValueTask.FromResult(TransientFailures.IsTransient(args.Outcome.Exception, idempotent: true)),
        });

        return builder;
    }

    /// <summary>
    /// The retry table (README, "Retries"): a failure before the request was sent retries like an idempotent call's;
    /// after it, a non-idempotent call retries only a refused connection.
    /// </summary>
    internal static bool ShouldRetry(Exception? exception, ResilienceContext context)
    {
        var sent = context.Properties.GetValue(RequestSent, true);
        var idempotent = context.Properties.GetValue(Idempotent, false);
        return TransientFailures.IsTransient(exception, idempotent || !sent);
    }
}
