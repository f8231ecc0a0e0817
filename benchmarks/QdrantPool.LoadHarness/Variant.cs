using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace QdrantPool.LoadHarness;

/// <summary>One way of reaching Qdrant that the harness measures: how it is built and how one Get goes through it.</summary>
internal sealed class Variant(string key, string label, bool isBaseline, Func<Uri, CancellationToken, Task<ILoadTarget>> create)
{
    /// <summary>Every variant, baseline first. Pools use the defaults except where the label says otherwise.</summary>
    public static readonly IReadOnlyList<Variant> All =
    [
        new("singleton", "singleton QdrantClient (baseline)", isBaseline: true, static (endpoint, _) =>
            Task.FromResult<ILoadTarget>(new SingletonTarget(new QdrantClient(endpoint.Host, endpoint.Port, apiKey: EmulatorProcess.ApiKey)))),
        new("shared", "pool, shared leases (default)", isBaseline: false, static (endpoint, ct) => PoolTarget.CreateAsync(endpoint, 64, null, ct)),
        new("spread", "pool, shared, spread evenly (the old policy)", isBaseline: false, static (endpoint, ct) => PoolTarget.CreateAsync(endpoint, 64, 1, ct)),
        new("exclusive", "pool, exclusive leases (MaxLeasesPerConnection=1)", isBaseline: false, static (endpoint, ct) => PoolTarget.CreateAsync(endpoint, 1, null, ct)),
    ];

    /// <summary>The default pool with another fill target (leases per connection before the next), to compare targets.</summary>
    public static Variant WithTarget(int target) =>
        new($"t{target}", $"pool, shared, fill target {target}", isBaseline: false, (endpoint, ct) => PoolTarget.CreateAsync(endpoint, 64, target, ct));

    public string Key { get; } = key;

    public string Label { get; } = label;

    public bool IsBaseline { get; } = isBaseline;

    public Task<ILoadTarget> CreateAsync(Uri endpoint, CancellationToken cancellationToken) => create(endpoint, cancellationToken);

    /// <summary>The variants named (all when none), then one per extra fill target.</summary>
    public static IReadOnlyList<Variant> Select(string[]? keys, int[]? targets)
    {
        var chosen = All;
        if (keys is { Length: > 0 })
        {
            var unknown = keys.Where(k => All.All(v => v.Key != k)).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"--variants: unknown '{string.Join(", ", unknown)}'; known: {string.Join(", ", All.Select(v => v.Key))}.");
            }

            chosen = All.Where(v => keys.Contains(v.Key)).ToList();
        }

        if (targets is { Length: > 0 } && targets.Any(t => t is < 1 or > 64))
        {
            throw new ArgumentException($"--targets must be 1..64, was '{string.Join(' ', targets)}'.");
        }

        return [.. chosen, .. (targets ?? []).Select(WithTarget)];
    }
}

/// <summary>What a caller loops on: one Get (Qdrant's Retrieve) of the given ids.</summary>
internal interface ILoadTarget : IAsyncDisposable
{
    Task GetAsync(string collection, IReadOnlyList<PointId> ids, CancellationToken cancellationToken);

    /// <summary>Connections the client side says it holds, for the table (the OS count is taken separately).</summary>
    string Connections { get; }
}

/// <summary>Aspire's default: one QdrantClient for the whole application, one channel.</summary>
internal sealed class SingletonTarget(QdrantClient client) : ILoadTarget
{
    public string Connections => "1 channel";

    public Task GetAsync(string collection, IReadOnlyList<PointId> ids, CancellationToken cancellationToken) =>
        client.RetrieveAsync(collection, ids, withPayload: true, withVectors: false, cancellationToken: cancellationToken);

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A lease per call, as application code would borrow it.</summary>
internal sealed class PoolTarget(QdrantConnectionPool pool) : ILoadTarget
{
    public string Connections => $"{pool.GetStats().TotalConnections} of {pool.Options.MaxSize}";

    public static async Task<ILoadTarget> CreateAsync(Uri endpoint, int maxLeasesPerConnection, int? fillTarget, CancellationToken cancellationToken)
    {
        var pool = new QdrantConnectionPool(new QdrantConnectionPoolOptions
        {
            Name = maxLeasesPerConnection == 1 ? "harness-exclusive" : "harness-shared",
            Endpoint = endpoint,
            ApiKey = EmulatorProcess.ApiKey,
            MaxLeasesPerConnection = maxLeasesPerConnection,
        });
        if (fillTarget is { } target)
        {
            pool.LeasesBeforeSpreading = target;
        }

        await pool.InitializeAsync(cancellationToken);
        return new PoolTarget(pool);
    }

    public async Task GetAsync(string collection, IReadOnlyList<PointId> ids, CancellationToken cancellationToken)
    {
        await using var lease = await pool.AcquireAsync(cancellationToken);
        await lease.Client.RetrieveAsync(collection, ids, withPayload: true, withVectors: false, cancellationToken: cancellationToken);
    }

    public ValueTask DisposeAsync() => pool.DisposeAsync();
}
