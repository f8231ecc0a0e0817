using Polly.CircuitBreaker;

namespace QdrantPool;

/// <summary>
/// <see cref="QdrantConnectionPool.ExecuteAsync{T}(Func{Qdrant.Client.QdrantClient, CancellationToken, Task{T}}, bool, CancellationToken)"/>
/// failed fast because the pool's circuit breaker is open. A <see cref="BrokenCircuitException"/>, so code that
/// catches Polly's type still does; the message names the pool and the settings behind the decision.
/// </summary>
public sealed class QdrantPoolCircuitOpenException : BrokenCircuitException
{
    /// <summary>Creates the exception with its message.</summary>
    public QdrantPoolCircuitOpenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and the failure that opened the circuit.</summary>
    public QdrantPoolCircuitOpenException(string message, Exception? innerException)
        : base(message, innerException!)
    {
    }

    /// <summary>Creates the exception with its message, how long until the breaker lets a probe through, and the failure that opened it.</summary>
    public QdrantPoolCircuitOpenException(string message, TimeSpan retryAfter, Exception? innerException)
        : base(message, retryAfter, innerException!)
    {
    }

    internal static QdrantPoolCircuitOpenException Create(QdrantConnectionPoolOptions options, BrokenCircuitException broken)
    {
        var message =
            $"The Qdrant connection pool '{options.Name}' is failing fast: its circuit breaker opened because at least " +
            $"{options.CircuitBreakerFailureRatio:P0} of the calls in {options.CircuitBreakerSamplingDuration.TotalSeconds:0.###} s " +
            $"failed transiently (Qdrant at {options.Endpoint} unreachable or unavailable). " +
            (broken.RetryAfter is { } after ? $"A probe call goes through in {after.TotalSeconds:0.###} s" : "A probe call goes through when the break ends") +
            $" (CircuitBreakerBreakDuration, now {options.CircuitBreakerBreakDuration.TotalSeconds:0.###} s); a success closes the circuit.";
        var cause = broken.InnerException ?? broken;
        return broken.RetryAfter is { } retryAfter
            ? new QdrantPoolCircuitOpenException(message, retryAfter, cause)
            : new QdrantPoolCircuitOpenException(message, cause);
    }
}
