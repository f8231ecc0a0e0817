namespace PoolWorker.Benchmark.Recovery;

/// <summary>Stops the Qdrant server and starts it again on the same address; returns when it has been started again.</summary>
internal interface IServerRestarter
{
    string Description { get; }

    Task RestartAsync(CancellationToken cancellationToken);
}
