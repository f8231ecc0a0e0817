using Grpc.Core;

namespace PoolWorker.Benchmark.Running;

/// <summary>Failures by kind (exception type, and the gRPC status for an RpcException), keeping the first message of each.</summary>
internal sealed class ErrorTally
{
    private const int MessageLength = 300;

    private readonly Dictionary<string, (long Count, string FirstMessage)> _kinds = new(StringComparer.Ordinal);

    public long Total { get; private set; }

    public IEnumerable<(string Kind, long Count, string FirstMessage)> Kinds =>
        _kinds.OrderByDescending(k => k.Value.Count).Select(k => (k.Key, k.Value.Count, k.Value.FirstMessage));

    public static string KindOf(Exception exception) => exception switch
    {
        RpcException rpc => $"RpcException({rpc.StatusCode})",
        _ => exception.GetType().Name,
    };

    public void Add(Exception exception) => Add(KindOf(exception), exception.Message);

    public void Add(string kind, string message)
    {
        Total++;
        if (_kinds.TryGetValue(kind, out var entry))
        {
            _kinds[kind] = (entry.Count + 1, entry.FirstMessage);
        }
        else
        {
            _kinds[kind] = (1, message.Length > MessageLength ? message[..MessageLength] + "…" : message);
        }
    }

    public void Add(ErrorTally other)
    {
        foreach (var (kind, (count, first)) in other._kinds)
        {
            Total += count;
            _kinds[kind] = _kinds.TryGetValue(kind, out var entry) ? (entry.Count + count, entry.FirstMessage) : (count, first);
        }
    }
}
