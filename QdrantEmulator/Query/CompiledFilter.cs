using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Query;

/// <summary>
/// A filter converted once per request: keys parsed, ids parsed, empty conditions dropped.
/// Conversion throws Qdrant's raw texts (<c>Invalid json path</c>, <c>Malformed Match condition</c>, UUID errors).
/// </summary>
internal sealed class CompiledFilter
{
    private readonly CompiledCondition[]? _should;
    private readonly CompiledCondition[]? _must;
    private readonly CompiledCondition[]? _mustNot;
    private readonly CompiledCondition[]? _minShould;
    private readonly int _minCount;

    private CompiledFilter(Filter filter)
    {
        // Qdrant's order of conversion: should, min_should, must, must_not.
        _should = ConvertAll(filter.Should);
        if (filter.MinShould is not null)
        {
            _minShould = ConvertAll(filter.MinShould.Conditions) ?? [];
            _minCount = (int)Math.Min(filter.MinShould.MinCount, int.MaxValue);
        }

        _must = ConvertAll(filter.Must);
        _mustNot = ConvertAll(filter.MustNot);
    }

    public static CompiledFilter From(Filter filter) => new(filter);

    public bool Matches(in PayloadScope scope)
    {
        if (_should is not null && !AnyMatches(_should, scope))
        {
            return false;
        }

        if (_minShould is not null && !AtLeast(_minShould, _minCount, scope))
        {
            return false;
        }

        if (_must is not null)
        {
            foreach (var condition in _must)
            {
                if (!condition.Matches(scope))
                {
                    return false;
                }
            }
        }

        return _mustNot is null || !AnyMatches(_mustNot, scope);
    }

    private static bool AnyMatches(CompiledCondition[] conditions, in PayloadScope scope)
    {
        foreach (var condition in conditions)
        {
            if (condition.Matches(scope))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AtLeast(CompiledCondition[] conditions, int count, in PayloadScope scope)
    {
        var matched = 0;
        foreach (var condition in conditions)
        {
            if (matched >= count)
            {
                break;
            }

            if (condition.Matches(scope))
            {
                matched++;
            }
        }

        return matched >= count;
    }

    /// <summary>Null when nothing is left after dropping conditions with no kind set (Qdrant then imposes no constraint).</summary>
    private static CompiledCondition[]? ConvertAll(IList<Condition> conditions)
    {
        List<CompiledCondition>? converted = null;
        foreach (var condition in conditions)
        {
            var compiled = Convert(condition);
            if (compiled is not null)
            {
                (converted ??= []).Add(compiled);
            }
        }

        return converted?.ToArray();
    }

    private static CompiledCondition? Convert(Condition condition) => condition.ConditionOneOfCase switch
    {
        Condition.ConditionOneOfOneofCase.Field => FieldConditionCheck.From(condition.Field),
        Condition.ConditionOneOfOneofCase.HasId => new HasIdCheck(condition.HasId),
        Condition.ConditionOneOfOneofCase.Filter => new SubFilterCheck(From(condition.Filter)),
        Condition.ConditionOneOfOneofCase.IsEmpty => new IsEmptyCheck(JsonPath.Parse(condition.IsEmpty.Key)),
        Condition.ConditionOneOfOneofCase.IsNull => new IsNullCheck(JsonPath.Parse(condition.IsNull.Key)),
        Condition.ConditionOneOfOneofCase.Nested => NestedCheck.From(condition.Nested),
        Condition.ConditionOneOfOneofCase.HasVector => new HasVectorCheck(condition.HasVector.HasVector),
        Condition.ConditionOneOfOneofCase.None => null,
        _ => throw new RpcException(new Status(
            StatusCode.Unimplemented,
            $"The emulator does not implement the {condition.ConditionOneOfCase} filter condition.")),
    };
}

internal abstract class CompiledCondition
{
    public abstract bool Matches(in PayloadScope scope);

    /// <summary>The values a path reaches; a one-segment path (the usual case) takes no list.</summary>
    protected static bool ForAnyValue<TState>(JsonPath path, in PayloadScope scope, TState state, Func<Value, TState, bool> test, out bool sawAny)
    {
        if (path.Rest.Count == 0)
        {
            sawAny = scope.TryGetTopLevel(path.FirstKey, out var value);
            return sawAny && test(value, state);
        }

        var values = new List<Value>();
        scope.CollectValues(path, values);
        sawAny = values.Count > 0;
        foreach (var value in values)
        {
            if (test(value, state))
            {
                return true;
            }
        }

        return false;
    }

    protected static List<Value> AllValues(JsonPath path, in PayloadScope scope)
    {
        var values = new List<Value>();
        if (path.Rest.Count == 0)
        {
            if (scope.TryGetTopLevel(path.FirstKey, out var value))
            {
                values.Add(value);
            }
        }
        else
        {
            scope.CollectValues(path, values);
        }

        return values;
    }
}

internal sealed class SubFilterCheck(CompiledFilter filter) : CompiledCondition
{
    public override bool Matches(in PayloadScope scope) => filter.Matches(scope);
}

internal sealed class HasIdCheck(HasIdCondition condition) : CompiledCondition
{
    private readonly HashSet<PointKey> _ids = [.. condition.HasId.Select(PointKey.Parse)];

    public override bool Matches(in PayloadScope scope) => scope.Point is { } point && _ids.Contains(point.Id);
}

internal sealed class HasVectorCheck(string name) : CompiledCondition
{
    public override bool Matches(in PayloadScope scope) => scope.Point is { } point && point.Vectors.ContainsKey(name);
}

/// <summary>True when every value the key reaches is null or an empty array (and so when it reaches none).</summary>
internal sealed class IsEmptyCheck(JsonPath path) : CompiledCondition
{
    public override bool Matches(in PayloadScope scope)
    {
        foreach (var value in AllValues(path, scope))
        {
            var empty = value.KindCase switch
            {
                Value.KindOneofCase.None or Value.KindOneofCase.NullValue => true,
                Value.KindOneofCase.ListValue => value.ListValue.Values.Count == 0,
                _ => false,
            };
            if (!empty)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>True when some value the key reaches is an explicit null; a missing key is not null.</summary>
internal sealed class IsNullCheck(JsonPath path) : CompiledCondition
{
    public override bool Matches(in PayloadScope scope) =>
        ForAnyValue(path, scope, 0, static (value, _) => ValueChecks.IsNull(value), out _);
}

/// <summary>Some object of the array at <c>key[]</c> passes the whole inner filter.</summary>
internal sealed class NestedCheck : CompiledCondition
{
    private readonly JsonPath _arrayPath;
    private readonly CompiledFilter _filter;

    private NestedCheck(JsonPath arrayPath, CompiledFilter filter)
    {
        _arrayPath = arrayPath;
        _filter = filter;
    }

    public static NestedCheck From(NestedCondition nested)
    {
        if (nested.Filter is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Nested condition must have a filter"));
        }

        var path = JsonPath.Parse(nested.Key);
        return new NestedCheck(path.WithArraySuffix(), CompiledFilter.From(nested.Filter));
    }

    public override bool Matches(in PayloadScope scope)
    {
        var values = new List<Value>();
        scope.CollectValues(_arrayPath, values);
        foreach (var value in values)
        {
            if (value.KindCase == Value.KindOneofCase.StructValue && _filter.Matches(PayloadScope.Of(value.StructValue)))
            {
                return true;
            }
        }

        return false;
    }
}
