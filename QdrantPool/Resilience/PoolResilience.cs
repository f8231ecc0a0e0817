using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace QdrantPool.Resilience;

/// <summary>The pool's one resilience pipeline: retry outside, circuit breaker inside, built once per pool.</summary>
internal static class PoolResilience
{
    /// <summary>Set by <c>ExecuteAsync</c> when the caller marked the operation safe to repeat after a deadline.</summary>
    public static readonly ResiliencePropertyKey<bool> RetryOnDeadlineExceeded = new("QdrantPool.RetryOnDeadlineExceeded");

    public static ResiliencePipeline Build(QdrantConnectionPoolOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { Name = $"QdrantPool-{options.Name}", TimeProvider = timeProvider };

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                UseJitter = options.UseRetryJitter,
                ShouldHandle = static args => ValueTask.FromResult(
                    TransientFailures.IsTransient(args.Outcome.Exception, args.Context.Properties.GetValue(RetryOnDeadlineExceeded, false))),
            });
        }

        // Inside the retry, so every attempt counts towards the failure ratio and an open circuit stops retrying at once
        // (BrokenCircuitException is not transient). A deadline counts as a failure here whatever the caller said.
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            ShouldHandle = static args => ValueTask.FromResult(TransientFailures.IsTransient(args.Outcome.Exception, retryOnDeadlineExceeded: true)),
        });

        return builder.Build();
    }
}
