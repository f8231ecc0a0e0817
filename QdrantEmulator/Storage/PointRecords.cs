using Qdrant.Client.Grpc;
using QdrantEmulator.Query;

namespace QdrantEmulator.Storage;

/// <summary>A stored point to and from the <see cref="ScoredPoint"/> shape compaction writes (it carries the version).</summary>
internal static class PointRecords
{
    public static ScoredPoint ToScoredPoint(StoredPoint point)
    {
        var record = new ScoredPoint { Id = point.Id.ToPointId(), Version = point.Version, Vectors = new VectorsOutput() };
        record.Vectors.Vectors = new NamedVectorsOutput();
        foreach (var (name, vector) in point.Vectors)
        {
            var output = new VectorOutput { Dense = new DenseVector() };
            output.Dense.Data.AddRange(vector);
            record.Vectors.Vectors.Vectors.Add(name, output);
        }

        foreach (var (key, value) in point.Payload)
        {
            record.Payload.Add(key, value);
        }
        return record;
    }

    public static StoredPoint FromScoredPoint(ScoredPoint record) => new()
    {
        Id = PointKey.Parse(record.Id),
        Version = record.Version,
        Payload = new Dictionary<string, Value>(record.Payload, StringComparer.Ordinal),
        Vectors = record.Vectors.Vectors.Vectors.ToDictionary(pair => pair.Key, pair => pair.Value.Dense.Data.ToArray(), StringComparer.Ordinal),
    };
}
