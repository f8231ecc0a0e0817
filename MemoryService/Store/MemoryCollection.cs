namespace MemoryService.Store;

/// <summary>
/// Whether the memory collection can be used: the one piece of state the bootstrapper writes and the store, the
/// readiness check and the API read.
/// </summary>
internal sealed class MemoryCollection(string name)
{
    private volatile CollectionStatus _status = new(CollectionState.Starting, $"Collection '{name}' is being prepared.");
    private readonly SemaphoreSlim _recheck = new(0, 1);

    public string Name { get; } = name;

    public CollectionStatus Status => _status;

    public bool IsReady => _status.State == CollectionState.Ready;

    public void Report(CollectionState state, string description) => _status = new CollectionStatus(state, description);

    /// <summary>The collection vanished under us (deleted by hand): prepare it again.</summary>
    public void Invalidate(string description)
    {
        if (_status.State == CollectionState.Ready)
        {
            _status = new CollectionStatus(CollectionState.Starting, description);
            if (_recheck.CurrentCount == 0)
            {
                try
                {
                    _recheck.Release();
                }
                catch (SemaphoreFullException)
                {
                    // Another caller signalled first; one recheck is enough.
                }
            }
        }
    }

    public Task WaitForInvalidationAsync(CancellationToken cancellationToken) => _recheck.WaitAsync(cancellationToken);

    /// <summary>Throws <see cref="MemoryStoreUnavailableException"/> unless the collection is ready.</summary>
    public void ThrowIfNotReady()
    {
        var status = _status;
        if (status.State != CollectionState.Ready)
        {
            throw new MemoryStoreUnavailableException(status.Description, RetryAfter);
        }
    }

    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
}

internal enum CollectionState
{
    /// <summary>Not created or checked yet (Qdrant may be away); retried in the background.</summary>
    Starting,

    /// <summary>Exists with the right vectors and indexes.</summary>
    Ready,

    /// <summary>Exists with another dimension or distance: a configuration mistake that retrying will not fix.</summary>
    Misconfigured,
}

internal sealed record CollectionStatus(CollectionState State, string Description);
