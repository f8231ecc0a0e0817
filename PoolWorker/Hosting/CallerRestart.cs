using PoolWorker.Benchmark.Recovery;

namespace PoolWorker.Hosting;

/// <summary>
/// The recovery scenario's restart, handed to whoever started the run. PoolWorker cannot stop Qdrant under the
/// AppHost, but the AppHost can: its dashboard command arms this before <c>POST /benchmark</c>, polls
/// <c>GET /benchmark/restart</c> until the scenario asks, stops and starts the Qdrant resource, then says it is done.
/// A run nobody armed skips the scenario, as before; an armed run whose caller never answers fails after
/// <see cref="AnswerTimeout"/> rather than hanging.
/// </summary>
internal sealed class CallerRestart
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(3);

    private readonly Lock _gate = new();
    private string? _description;
    private string? _skipReason;
    private TaskCompletionSource<string?>? _pending;
    private DateTimeOffset? _requestedAt;

    /// <summary>Idle, armed (the next run hands its restart to the caller), or requested (the scenario waits for it).</summary>
    public CallerRestartState State
    {
        get
        {
            lock (_gate)
            {
                var phase = _pending is not null ? "requested" : _description is not null ? "armed" : "idle";
                return new CallerRestartState(phase, _description, _requestedAt);
            }
        }
    }

    /// <summary>
    /// Arms the next run: with a description (what the caller restarts) the caller will restart Qdrant; with only a
    /// skip reason the scenario is skipped, with that reason in the report.
    /// </summary>
    public void Arm(string? description, string? skipReason)
    {
        lock (_gate)
        {
            _description = string.IsNullOrWhiteSpace(description) ? null : description;
            _skipReason = _description is null && !string.IsNullOrWhiteSpace(skipReason) ? skipReason : null;
        }
    }

    public void Disarm() => Arm(null, null);

    /// <summary>Why the next run skips the recovery scenario, when its caller said so; null otherwise.</summary>
    public string? SkipReason
    {
        get
        {
            lock (_gate)
            {
                return _skipReason;
            }
        }
    }

    /// <summary>The restarter for the run that starts now (null when nobody armed it), and disarms for the next.</summary>
    public IServerRestarter? TakeRestarter()
    {
        lock (_gate)
        {
            var description = _description;
            _description = null;
            _skipReason = null;
            return description is null ? null : new Restarter(this, description);
        }
    }

    /// <summary>The caller has restarted Qdrant (error null) or could not (error says why). False when nothing waits.</summary>
    public bool Complete(string? error)
    {
        TaskCompletionSource<string?>? pending;
        lock (_gate)
        {
            pending = _pending;
            _pending = null;
            _requestedAt = null;
        }

        return pending?.TrySetResult(error) ?? false;
    }

    private async Task RequestAsync(string description, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending = answer;
            _requestedAt = DateTimeOffset.UtcNow;
            _description = description;
        }

        string? error;
        try
        {
            error = await answer.Task.WaitAsync(AnswerTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            Complete(null);
            throw new TimeoutException($"Nobody restarted Qdrant within {AnswerTimeout.TotalMinutes:0} min ({description}); was the caller stopped?");
        }
        finally
        {
            // Cancelled or timed out: nothing waits any more, so the caller must not be told to restart.
            lock (_gate)
            {
                if (ReferenceEquals(_pending, answer))
                {
                    _pending = null;
                    _requestedAt = null;
                }

                _description = null;
            }
        }

        if (error is not null)
        {
            throw new InvalidOperationException($"The caller could not restart Qdrant ({description}): {error}");
        }
    }

    private sealed class Restarter(CallerRestart owner, string description) : IServerRestarter
    {
        public string Description => description;

        public Task RestartAsync(CancellationToken cancellationToken) => owner.RequestAsync(description, cancellationToken);
    }
}

internal sealed record CallerRestartState(string Phase, string? Description, DateTimeOffset? RequestedAt);
