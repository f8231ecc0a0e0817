using Google.Protobuf.Collections;
using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Query;

/// <summary>
/// Exact nearest-neighbour search over one named vector: filter, score with SIMD, apply the strict threshold,
/// keep offset+limit in a bounded heap, then skip offset. Ties go to the lower point id.
/// </summary>
internal sealed record NearestSearch(
    CollectionSnapshot Collection,
    string VectorName,
    float[] Query,
    CompiledFilter? Filter,
    PointKey? Excluded,
    float? ScoreThreshold,
    ulong Offset,
    ulong Limit)
{
    /// <summary>Checks the vector name and dimension (Qdrant's texts) and prepares the query as stored vectors are.</summary>
    public static float[] PrepareQuery(CollectionSnapshot collection, string vectorName, float[] query)
    {
        var parameters = Params(collection, vectorName);
        if ((ulong)query.Length != parameters.Size)
        {
            throw new RpcException(new Status(
                StatusCode.InvalidArgument,
                $"Wrong input: Vector dimension error: expected dim: {parameters.Size}, got {query.Length}"));
        }

        return Distances.PrepareForStorage(parameters.Distance, query);
    }

    /// <summary>A nearest input: a dense vector, or the id of a stored point whose vector is used (and which is left out of the results).</summary>
    public static (float[] Query, PointKey? Excluded) ResolveInput(CollectionSnapshot collection, string vectorName, VectorInput input)
    {
        switch (input.VariantCase)
        {
            case VectorInput.VariantOneofCase.Dense:
                return (PrepareQuery(collection, vectorName, [.. input.Dense.Data]), null);
            case VectorInput.VariantOneofCase.Id:
                var id = PointKey.Parse(input.Id);
                Params(collection, vectorName);
                // Qdrant resolves the id like a retrieve: a missing point and a point without that vector read the same,
                // with the name in Rust's debug (quoted) form.
                if (!collection.ById.TryGetValue(id, out var point) || !point.Vectors.TryGetValue(vectorName, out var stored))
                {
                    throw new RpcException(new Status(StatusCode.NotFound, $"Not found: Vector with name \"{vectorName}\" for point not found"));
                }

                return (stored, id);
            default:
                throw ReadOperations.Unimplemented($"Nearest query with a {input.VariantCase} input");
        }
    }

    // Below this many points per slice, splitting the scan across cores costs more than it saves.
    private const int MinPointsPerSlice = 16_384;

    public RepeatedField<ScoredPoint> Run(PayloadSelection payload, VectorSelection vectors)
    {
        var distance = Params(Collection, VectorName).Distance;
        var higherIsBetter = Distances.HigherIsBetter(distance);
        // Saturating: offset + limit may exceed ulong, and never keeps more than there are points.
        var wanted = Offset > ulong.MaxValue - Limit ? ulong.MaxValue : Offset + Limit;
        var keep = (int)Math.Min(wanted, (ulong)Collection.Points.Count);

        var matrix = VectorMatrix.For(Collection, VectorName, Query.Length);
        var count = matrix?.Points.Length ?? Collection.Points.Count;
        var slices = Math.Clamp(count / MinPointsPerSlice, 1, Environment.ProcessorCount);
        TopK top;
        if (slices == 1)
        {
            top = new TopK(keep, higherIsBetter);
            Scan(distance, matrix, 0, count, top);
        }
        else
        {
            // Each slice keeps its own best k; the overall best k are among their union.
            var partial = new TopK[slices];
            Parallel.For(0, slices, slice =>
            {
                partial[slice] = new TopK(keep, higherIsBetter);
                Scan(distance, matrix, (int)((long)count * slice / slices), (int)((long)count * (slice + 1) / slices), partial[slice]);
            });
            top = new TopK(keep, higherIsBetter);
            foreach (var (point, score) in partial.SelectMany(p => p.DrainBestFirst()))
            {
                top.Offer(point, score);
            }
        }

        var result = new RepeatedField<ScoredPoint>();
        var ranked = top.DrainBestFirst();
        for (var i = (int)Math.Min(Offset, (ulong)ranked.Count); i < ranked.Count; i++)
        {
            var (point, score) = ranked[i];
            result.Add(ReadOperations.ToScored(point, score, point.Version, payload, vectors));
        }

        return result;
    }

    private void Scan(Distance distance, VectorMatrix? matrix, int from, int to, TopK top)
    {
        for (var i = from; i < to; i++)
        {
            StoredPoint point;
            ReadOnlySpan<float> stored;
            if (matrix is not null)
            {
                point = matrix.Points[i];
                stored = matrix.Row(i);
            }
            else
            {
                point = Collection.Points[i];
                if (!point.Vectors.TryGetValue(VectorName, out var vector))
                {
                    continue;
                }

                stored = vector;
            }

            if (Excluded is { } excluded && point.Id == excluded)
            {
                continue;
            }

            if (Filter is not null && !Filter.Matches(PayloadScope.Of(point)))
            {
                continue;
            }

            var score = Distances.Score(distance, Query, stored);
            if (ScoreThreshold is { } threshold && !Distances.PassesThreshold(distance, score, threshold))
            {
                continue;
            }

            top.Offer(point, score);
        }
    }

    private static VectorParams Params(CollectionSnapshot collection, string vectorName) =>
        collection.Vectors.TryGetValue(vectorName, out var parameters)
            ? parameters
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"Wrong input: Not existing vector name error: {vectorName}"));
}
