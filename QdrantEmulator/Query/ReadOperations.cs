using Google.Protobuf.Collections;
using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantEmulator.Collections;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Query;

/// <summary>
/// Every read RPC over a collection snapshot. Errors are RpcExceptions carrying Qdrant's status and exact text.
/// The caller has already checked auth and that the collection exists.
/// </summary>
/// <remarks>
/// Each request is checked the way Qdrant does it: all validation problems first (one message), then conversion
/// (filter keys, ids, selectors), then the collection-specific checks (vector name, dimension). Snapshots hold
/// immutable points, so these methods are safe to run beside writes.
/// </remarks>
internal static class ReadOperations
{
    private const uint DefaultScrollLimit = 10;
    private const ulong DefaultQueryLimit = 10;

    public static RepeatedField<ScoredPoint> Search(CollectionSnapshot collection, SearchPoints request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        CollectSearchErrors(request, string.Empty, errors);
        FilterEvaluator.ThrowIfInvalid(errors);
        return RunSearch(collection, request);
    }

    public static RepeatedField<BatchResult> SearchBatch(CollectionSnapshot collection, SearchBatchPoints request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        for (var i = 0; i < request.SearchPoints.Count; i++)
        {
            CollectSearchErrors(request.SearchPoints[i], $"search_points[{i}].", errors);
        }

        CollectTimeoutError(request.HasTimeout, request.Timeout, string.Empty, errors);
        FilterEvaluator.ThrowIfInvalid(errors);
        var results = new RepeatedField<BatchResult>();
        foreach (var search in request.SearchPoints)
        {
            var batch = new BatchResult();
            batch.Result.AddRange(RunSearch(collection, search));
            results.Add(batch);
        }

        return results;
    }

    public static RepeatedField<ScoredPoint> Query(CollectionSnapshot collection, QueryPoints request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        CollectQueryErrors(request, string.Empty, errors);
        FilterEvaluator.ThrowIfInvalid(errors);
        return RunQuery(collection, request);
    }

    public static RepeatedField<BatchResult> QueryBatch(CollectionSnapshot collection, QueryBatchPoints request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        for (var i = 0; i < request.QueryPoints.Count; i++)
        {
            CollectQueryErrors(request.QueryPoints[i], $"query_points[{i}].", errors);
        }

        CollectTimeoutError(request.HasTimeout, request.Timeout, string.Empty, errors);
        FilterEvaluator.ThrowIfInvalid(errors);
        var results = new RepeatedField<BatchResult>();
        foreach (var query in request.QueryPoints)
        {
            var batch = new BatchResult();
            batch.Result.AddRange(RunQuery(collection, query));
            results.Add(batch);
        }

        return results;
    }

    public static (RepeatedField<RetrievedPoint> Points, PointId? NextPageOffset) Scroll(CollectionSnapshot collection, ScrollPoints request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        FilterEvaluator.CollectValidationErrors(request.Filter, "filter", errors);
        CollectLimitError(request.HasLimit && request.Limit == 0, "limit", errors);
        CollectTimeoutError(request.HasTimeout, request.Timeout, string.Empty, errors);
        FilterEvaluator.ThrowIfInvalid(errors);

        var filter = request.Filter is null ? null : CompiledFilter.From(request.Filter);
        var start = request.Offset is null ? (PointKey?)null : PointKey.Parse(request.Offset);
        var payload = PayloadSelection.From(request.WithPayload, whenUnset: true);
        var vectors = VectorSelection.From(request.WithVectors);
        if (request.OrderBy is not null)
        {
            throw Unimplemented("Scroll with order_by");
        }

        var limit = (int)Math.Min(request.HasLimit ? request.Limit : DefaultScrollLimit, int.MaxValue);
        var points = new RepeatedField<RetrievedPoint>();
        PointId? next = null;
        // Fetch limit+1: the extra point, when there is one, is where the next page starts.
        foreach (var point in PointsFrom(collection.Points, start))
        {
            if (filter is not null && !filter.Matches(PayloadScope.Of(point)))
            {
                continue;
            }

            if (points.Count == limit)
            {
                next = point.Id.ToPointId();
                break;
            }

            points.Add(ToRetrieved(point, payload, vectors));
        }

        return (points, next);
    }

    public static ulong Count(CollectionSnapshot collection, CountPoints request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        FilterEvaluator.CollectValidationErrors(request.Filter, "filter", errors);
        CollectTimeoutError(request.HasTimeout, request.Timeout, string.Empty, errors);
        FilterEvaluator.ThrowIfInvalid(errors);
        if (request.Filter is null)
        {
            return (ulong)collection.Points.Count;
        }

        // Counting is always exact here: there is no index whose estimate could differ.
        var filter = CompiledFilter.From(request.Filter);
        ulong count = 0;
        foreach (var point in collection.Points)
        {
            if (filter.Matches(PayloadScope.Of(point)))
            {
                count++;
            }
        }

        return count;
    }

    public static RepeatedField<RetrievedPoint> Get(CollectionSnapshot collection, GetPoints request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        CollectTimeoutError(request.HasTimeout, request.Timeout, string.Empty, errors);
        FilterEvaluator.ThrowIfInvalid(errors);

        var ids = request.Ids.Select(PointKey.Parse).ToList();
        var payload = PayloadSelection.From(request.WithPayload, whenUnset: true);
        var vectors = VectorSelection.From(request.WithVectors);
        var seen = new HashSet<PointKey>();
        var points = new RepeatedField<RetrievedPoint>();
        foreach (var id in ids)
        {
            // Request order; missing ids are left out and a repeated id comes back once.
            if (seen.Add(id) && collection.ById.TryGetValue(id, out var point))
            {
                points.Add(ToRetrieved(point, payload, vectors));
            }
        }

        return points;
    }

    private static RepeatedField<ScoredPoint> RunSearch(CollectionSnapshot collection, SearchPoints request)
    {
        if (request.SparseIndices is not null)
        {
            throw Unimplemented("Search with a sparse vector");
        }

        var filter = request.Filter is null ? null : CompiledFilter.From(request.Filter);
        var payload = PayloadSelection.From(request.WithPayload, whenUnset: false);
        var vectors = VectorSelection.From(request.WithVectors);
        var name = request.HasVectorName ? request.VectorName : string.Empty;
        var query = NearestSearch.PrepareQuery(collection, name, [.. request.Vector]);
        var search = new NearestSearch(
            collection, name, query, filter, Excluded: null,
            request.HasScoreThreshold ? request.ScoreThreshold : null,
            Offset: request.HasOffset ? request.Offset : 0,
            Limit: request.Limit);
        return search.Run(payload, vectors);
    }

    private static RepeatedField<ScoredPoint> RunQuery(CollectionSnapshot collection, QueryPoints request)
    {
        if (request.Query is null && request.Prefetch.Count > 0)
        {
            throw BadRequest("A query is needed to merge the prefetches. Can't have prefetches without defining a query.");
        }

        if (request.Query is null && request.HasScoreThreshold)
        {
            throw BadRequest("A query is needed to use the score_threshold. Can't have score_threshold without defining a query.");
        }

        if (request.Prefetch.Count > 0)
        {
            throw Unimplemented("Query with prefetch");
        }

        if (request.LookupFrom is not null)
        {
            throw Unimplemented("Query with lookup_from");
        }

        var filter = request.Filter is null ? null : CompiledFilter.From(request.Filter);
        var payload = PayloadSelection.From(request.WithPayload, whenUnset: false);
        var vectors = VectorSelection.From(request.WithVectors);
        var limit = request.HasLimit ? request.Limit : DefaultQueryLimit;
        var offset = request.HasOffset ? request.Offset : 0;
        if (request.Query is null)
        {
            return ListInIdOrder(collection, filter, offset, limit, payload, vectors);
        }

        if (request.Query.VariantCase != Qdrant.Client.Grpc.Query.VariantOneofCase.Nearest)
        {
            throw Unimplemented($"Query {request.Query.VariantCase}");
        }

        var name = request.HasUsing ? request.Using : string.Empty;
        var (query, excluded) = NearestSearch.ResolveInput(collection, name, request.Query.Nearest);
        var search = new NearestSearch(
            collection, name, query, filter, excluded,
            request.HasScoreThreshold ? request.ScoreThreshold : null,
            offset, limit);
        return search.Run(payload, vectors);
    }

    /// <summary>A query without a query: points in id order, each with score 1 and version 0, as Qdrant answers it.</summary>
    private static RepeatedField<ScoredPoint> ListInIdOrder(
        CollectionSnapshot collection, CompiledFilter? filter, ulong offset, ulong limit, PayloadSelection payload, VectorSelection vectors)
    {
        var result = new RepeatedField<ScoredPoint>();
        ulong skipped = 0;
        foreach (var point in collection.Points)
        {
            if ((ulong)result.Count >= limit)
            {
                break;
            }

            if (filter is not null && !filter.Matches(PayloadScope.Of(point)))
            {
                continue;
            }

            if (skipped < offset)
            {
                skipped++;
                continue;
            }

            result.Add(ToScored(point, 1.0f, version: 0, payload, vectors));
        }

        return result;
    }

    internal static ScoredPoint ToScored(StoredPoint point, float score, ulong version, PayloadSelection payload, VectorSelection vectors)
    {
        var scored = new ScoredPoint { Id = point.Id.ToPointId(), Score = score, Version = version, Vectors = vectors.Project(point) };
        payload.CopyInto(point.Payload, scored.Payload);
        return scored;
    }

    private static RetrievedPoint ToRetrieved(StoredPoint point, PayloadSelection payload, VectorSelection vectors)
    {
        var retrieved = new RetrievedPoint { Id = point.Id.ToPointId(), Vectors = vectors.Project(point) };
        payload.CopyInto(point.Payload, retrieved.Payload);
        return retrieved;
    }

    /// <summary>The points from the first id at or above <paramref name="start"/> (an offset need not exist).</summary>
    private static IEnumerable<StoredPoint> PointsFrom(IReadOnlyList<StoredPoint> points, PointKey? start)
    {
        var index = 0;
        if (start is { } first)
        {
            var (low, high) = (0, points.Count);
            while (low < high)
            {
                var mid = low + ((high - low) / 2);
                if (points[mid].Id < first)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            index = low;
        }

        for (; index < points.Count; index++)
        {
            yield return points[index];
        }
    }

    private static void CollectSearchErrors(SearchPoints request, string prefix, List<string> errors)
    {
        // A batch entry's own collection_name is validated too; the request's top-level name is checked before this runs.
        if (prefix.Length > 0)
        {
            CollectionNameRules.CollectNested(request.CollectionName, prefix, errors);
        }

        FilterEvaluator.CollectValidationErrors(request.Filter, $"{prefix}filter", errors);
        CollectLimitError(request.Limit == 0, $"{prefix}limit", errors);
        CollectTimeoutError(request.HasTimeout, request.Timeout, prefix, errors);
    }

    private static void CollectQueryErrors(QueryPoints request, string prefix, List<string> errors)
    {
        // A batch entry's own collection_name is validated too; the request's top-level name is checked before this runs.
        if (prefix.Length > 0)
        {
            CollectionNameRules.CollectNested(request.CollectionName, prefix, errors);
        }

        FilterEvaluator.CollectValidationErrors(request.Filter, $"{prefix}filter", errors);
        CollectLimitError(request.HasLimit && request.Limit == 0, $"{prefix}limit", errors);
        CollectTimeoutError(request.HasTimeout, request.Timeout, prefix, errors);
    }

    private static void CollectLimitError(bool isZero, string path, List<string> errors)
    {
        if (isZero)
        {
            errors.Add($"{path}: value 0 invalid, must be 1 or larger");
        }
    }

    private static void CollectTimeoutError(bool hasTimeout, ulong timeout, string prefix, List<string> errors)
    {
        if (hasTimeout && timeout == 0)
        {
            errors.Add($"{prefix}timeout: value 0 invalid, must be 1 or larger");
        }
    }

    private static RpcException BadRequest(string description) =>
        new(new Status(StatusCode.InvalidArgument, $"Bad request: {description}"));

    internal static RpcException Unimplemented(string what) =>
        new(new Status(StatusCode.Unimplemented, $"{what} is not served by the Qdrant emulator."));
}
