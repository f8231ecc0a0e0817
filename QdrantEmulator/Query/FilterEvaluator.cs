using System.Runtime.CompilerServices;
using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Query;

/// <summary>Qdrant's filter semantics over stored points.</summary>
/// <remarks>
/// Qdrant checks a request in two passes, and so do we: first validation (every structural problem, reported together as
/// <c>Validation error in body: [path: message; ...]</c>), then conversion (the first bad key, match or id, reported raw).
/// </remarks>
internal static class FilterEvaluator
{
    private const string AtLeastOneCondition = "At least one field condition must be specified";

    // Matches(filter, point) may be called once per point; compile each filter instance once. A copy of the
    // filter as compiled is kept beside it, because protobuf messages are mutable and a caller may change one.
    private static readonly ConditionalWeakTable<Filter, Tuple<Filter, CompiledFilter>> Compiled = new();

    /// <summary>Throws RpcException(InvalidArgument) with Qdrant's text for a malformed filter; call once per request.</summary>
    public static void Validate(Filter? filter) => Compile(filter, "filter");

    /// <summary>True when the point passes the filter; a null filter passes everything.</summary>
    public static bool Matches(Filter? filter, StoredPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (filter is null)
        {
            return true;
        }

        if (!Compiled.TryGetValue(filter, out var entry) || !entry.Item1.Equals(filter))
        {
            entry = Tuple.Create(filter.Clone(), CompiledFilter.From(filter));
            Compiled.AddOrUpdate(filter, entry);
        }

        return entry.Item2.Matches(PayloadScope.Of(point));
    }

    /// <summary>Validates, then converts the filter; null for no filter. <paramref name="path"/> prefixes validation messages.</summary>
    internal static CompiledFilter? Compile(Filter? filter, string path)
    {
        if (filter is null)
        {
            return null;
        }

        var errors = new List<string>();
        CollectValidationErrors(filter, path, errors);
        ThrowIfInvalid(errors);
        return CompiledFilter.From(filter);
    }

    /// <summary>Throws Qdrant's request-validation error when the list holds any <c>path: message</c> item.</summary>
    internal static void ThrowIfInvalid(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Validation error in body: [{string.Join("; ", errors)}]"));
        }
    }

    /// <summary>Adds one <c>path: message</c> item per structural problem, with the field paths Qdrant's validator prints.</summary>
    internal static void CollectValidationErrors(Filter? filter, string path, List<string> errors)
    {
        if (filter is null)
        {
            return;
        }

        CollectConditionErrors(filter.Should, $"{path}.should", errors);
        CollectConditionErrors(filter.Must, $"{path}.must", errors);
        CollectConditionErrors(filter.MustNot, $"{path}.must_not", errors);
        if (filter.MinShould is not null)
        {
            CollectConditionErrors(filter.MinShould.Conditions, $"{path}.min_should.conditions", errors);
        }
    }

    private static void CollectConditionErrors(IList<Condition> conditions, string path, List<string> errors)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            var at = $"{path}[{i}].condition_one_of";
            switch (condition.ConditionOneOfCase)
            {
                case Condition.ConditionOneOfOneofCase.Field when IsEmptyFieldCondition(condition.Field):
                    errors.Add($"{at}.match: {AtLeastOneCondition}");
                    break;
                case Condition.ConditionOneOfOneofCase.Filter:
                    // A nested filter's errors sit directly under condition_one_of (the enum adds no level).
                    CollectValidationErrors(condition.Filter, at, errors);
                    break;
                case Condition.ConditionOneOfOneofCase.Nested:
                    CollectValidationErrors(condition.Nested.Filter, $"{at}.filter", errors);
                    break;
            }
        }
    }

    private static bool IsEmptyFieldCondition(FieldCondition field) =>
        field.Match is null && field.Range is null && field.DatetimeRange is null && field.GeoBoundingBox is null
        && field.GeoRadius is null && field.GeoPolygon is null && field.ValuesCount is null
        && !field.HasIsEmpty && !field.HasIsNull;
}
