using Qdrant.Client.Grpc;
using QdrantEmulator.Grpc;
using QdrantEmulator.Query;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Writes;

/// <summary>A write's target points: a list of ids or a filter (Qdrant's PointsSelector).</summary>
internal sealed class PointSelection
{
    private PointSelection(IReadOnlyList<PointKey>? ids, Filter? filter)
    {
        Ids = ids;
        Filter = filter;
    }

    public IReadOnlyList<PointKey>? Ids { get; }

    public Filter? Filter { get; }

    /// <summary>Delete and ClearPayload's text for an absent selector.</summary>
    public const string MissingForPoints = "PointSelector is missing";

    /// <summary>SetPayload, OverwritePayload and DeletePayload's text for an absent selector.</summary>
    public const string MissingForPayload = "points_selector is expected";

    /// <summary>Parses and validates the selector; throws Qdrant's texts for a missing or malformed one.</summary>
    public static PointSelection Parse(PointsSelector? selector, string missingText)
    {
        if (selector is null)
        {
            throw QdrantErrors.InvalidArgument(missingText);
        }

        switch (selector.PointsSelectorOneOfCase)
        {
            case PointsSelector.PointsSelectorOneOfOneofCase.Points:
                return new PointSelection(selector.Points.Ids.Select(PointKey.Parse).ToList(), null);
            case PointsSelector.PointsSelectorOneOfOneofCase.Filter:
                FilterEvaluator.Validate(selector.Filter);
                return new PointSelection(null, selector.Filter);
            default:
                throw QdrantErrors.InvalidArgument("Malformed PointsSelector type");
        }
    }

    /// <summary>The existing points selected. With <paramref name="requireAll"/>, a listed id that does not exist is Qdrant's NOT_FOUND.</summary>
    public List<StoredPoint> Resolve(CollectionState collection, bool requireAll)
    {
        if (Ids is null)
        {
            return collection.Points.Values.Where(point => FilterEvaluator.Matches(Filter, point)).ToList();
        }

        var found = new List<StoredPoint>(Ids.Count);
        foreach (var id in Ids)
        {
            if (collection.Points.TryGetValue(id, out var point))
            {
                found.Add(point);
            }
            else if (requireAll)
            {
                throw new global::Grpc.Core.RpcException(new global::Grpc.Core.Status(global::Grpc.Core.StatusCode.NotFound, $"Not found: No point with id {id} found"));
            }
        }

        return found;
    }
}
