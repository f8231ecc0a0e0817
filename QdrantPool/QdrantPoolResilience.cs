using Polly;

namespace QdrantPool;

/// <summary>
/// Where the pool's Polly pipeline lives, for an application that wants to see or replace it the standard way.
/// </summary>
/// <remarks>
/// The Aspire integration registers each pool's pipeline in Polly's <c>ResiliencePipelineRegistry&lt;string&gt;</c>
/// under <see cref="PipelineKey"/>, unless the application registered one under that key before calling
/// <c>AddQdrantConnectionPool</c> (Polly's registry keeps the first registration for a key). A pipeline of the
/// application's own should read <see cref="Idempotent"/> before retrying: a call that is not idempotent must not
/// be repeated after its request may have reached the server.
/// </remarks>
public static class QdrantPoolResilience
{
    /// <summary>The name of the <see cref="Idempotent"/> property.</summary>
    public const string IdempotentPropertyName = "QdrantPool.Idempotent";

    /// <summary>Set on the <see cref="ResilienceContext"/> of every call through the pool: true when the call is safe to repeat.</summary>
    public static readonly ResiliencePropertyKey<bool> Idempotent = new(IdempotentPropertyName);

    /// <summary>The registry key of the pool named <paramref name="poolName"/>'s pipeline: <c>QdrantPool:{poolName}</c>.</summary>
    /// <param name="poolName">The pool's name (the connection name in the Aspire integration).</param>
    public static string PipelineKey(string poolName)
    {
        ArgumentException.ThrowIfNullOrEmpty(poolName);
        return "QdrantPool:" + poolName;
    }
}
