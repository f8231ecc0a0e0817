using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Query;

/// <summary>
/// One field condition, with Qdrant's rules: a missing key fails everything except is_empty / is_null;
/// a key that reaches several values passes when any value does; an array value passes when any element does
/// (values_count, is_empty and is_null look at the array itself).
/// </summary>
internal sealed class FieldConditionCheck : CompiledCondition
{
    private readonly JsonPath _path;
    private readonly MatchCheck? _match;
    private readonly Qdrant.Client.Grpc.Range? _range;
    private readonly DatetimeRangeCheck? _datetimeRange;
    private readonly GeoChecks? _geo;
    private readonly ValuesCount? _valuesCount;
    private readonly bool? _isEmpty;
    private readonly bool? _isNull;

    private FieldConditionCheck(FieldCondition field)
    {
        // Qdrant converts geo, then ranges, then the key, then the match: the first failure is the one reported.
        _geo = GeoChecks.From(field);
        _range = field.Range;
        _datetimeRange = field.Range is null && field.DatetimeRange is not null ? new DatetimeRangeCheck(field.DatetimeRange) : null;
        _path = JsonPath.Parse(field.Key);
        _match = field.Match is null ? null : MatchCheck.From(field.Match);
        _valuesCount = field.ValuesCount;
        _isEmpty = field.HasIsEmpty ? field.IsEmpty : null;
        _isNull = field.HasIsNull ? field.IsNull : null;
    }

    public static FieldConditionCheck From(FieldCondition field) => new(field);

    public override bool Matches(in PayloadScope scope)
    {
        var passed = ForAnyValue(_path, scope, this, static (value, self) => self.Check(value), out var sawAny);
        return sawAny ? passed : CheckMissing();
    }

    private bool CheckMissing()
    {
        if (_isEmpty is { } isEmpty)
        {
            return isEmpty;
        }

        return _isNull is { } isNull && !isNull;
    }

    private bool Check(Value value)
    {
        if (_valuesCount is not null)
        {
            return ValueChecks.CountMatches(_valuesCount, value);
        }

        if (_isEmpty is { } isEmpty)
        {
            return ValueChecks.IsEmptyValue(value) == isEmpty;
        }

        if (_isNull is { } isNull)
        {
            return ValueChecks.IsNullOrHoldsNull(value) == isNull;
        }

        if (value.KindCase == Value.KindOneofCase.ListValue)
        {
            foreach (var element in value.ListValue.Values)
            {
                if (CheckOne(element))
                {
                    return true;
                }
            }

            return false;
        }

        return CheckOne(value);
    }

    private bool CheckOne(Value value) =>
        (_match is not null && _match.Matches(value))
        || (_range is not null && ValueChecks.InRange(_range, value))
        || (_datetimeRange is not null && _datetimeRange.Matches(value))
        || (_geo is not null && _geo.Matches(value));
}

/// <summary>A converted <see cref="Match"/>; an unset match is Qdrant's <c>Malformed Match condition</c>.</summary>
internal sealed class MatchCheck
{
    private readonly Match _match;
    private readonly HashSet<string>? _strings;
    private readonly HashSet<long>? _integers;
    private readonly string[]? _tokens;

    private MatchCheck(Match match)
    {
        _match = match;
        switch (match.MatchValueCase)
        {
            case Match.MatchValueOneofCase.Keywords:
                _strings = [.. match.Keywords.Strings];
                break;
            case Match.MatchValueOneofCase.ExceptKeywords:
                _strings = [.. match.ExceptKeywords.Strings];
                break;
            case Match.MatchValueOneofCase.Integers:
                _integers = [.. match.Integers.Integers];
                break;
            case Match.MatchValueOneofCase.ExceptIntegers:
                _integers = [.. match.ExceptIntegers.Integers];
                break;
            case Match.MatchValueOneofCase.TextAny:
                _tokens = match.TextAny.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                break;
        }
    }

    public static MatchCheck From(Match match) => match.MatchValueCase == Match.MatchValueOneofCase.None
        ? throw new RpcException(new Status(StatusCode.InvalidArgument, "Malformed Match condition"))
        : new MatchCheck(match);

    public bool Matches(Value value)
    {
        var kind = value.KindCase;
        return _match.MatchValueCase switch
        {
            Match.MatchValueOneofCase.Keyword => kind == Value.KindOneofCase.StringValue && value.StringValue == _match.Keyword,
            // Only integers match: a number stored as a double (even 3.0) does not.
            Match.MatchValueOneofCase.Integer => kind == Value.KindOneofCase.IntegerValue && value.IntegerValue == _match.Integer,
            Match.MatchValueOneofCase.Boolean => kind == Value.KindOneofCase.BoolValue && value.BoolValue == _match.Boolean,
            // Without a full-text index Qdrant falls back to a substring test.
            Match.MatchValueOneofCase.Text => kind == Value.KindOneofCase.StringValue && value.StringValue.Contains(_match.Text, StringComparison.Ordinal),
            Match.MatchValueOneofCase.Phrase => kind == Value.KindOneofCase.StringValue && value.StringValue.Contains(_match.Phrase, StringComparison.Ordinal),
            Match.MatchValueOneofCase.Substring => kind == Value.KindOneofCase.StringValue && value.StringValue.Contains(_match.Substring, StringComparison.Ordinal),
            Match.MatchValueOneofCase.Prefix => kind == Value.KindOneofCase.StringValue && value.StringValue.StartsWith(_match.Prefix, StringComparison.Ordinal),
            Match.MatchValueOneofCase.TextAny => kind == Value.KindOneofCase.StringValue && _tokens!.Any(t => value.StringValue.Contains(t, StringComparison.Ordinal)),
            Match.MatchValueOneofCase.Keywords => kind == Value.KindOneofCase.StringValue && _strings!.Contains(value.StringValue),
            Match.MatchValueOneofCase.Integers => kind == Value.KindOneofCase.IntegerValue && _integers!.Contains(value.IntegerValue),
            Match.MatchValueOneofCase.ExceptKeywords => MatchesExcept(value, keywords: true),
            Match.MatchValueOneofCase.ExceptIntegers => MatchesExcept(value, keywords: false),
            _ => false,
        };
    }

    /// <summary>
    /// "None of": a value of the other type passes (a string under except_integers, a double, a bool, an object,
    /// a nested array), and only null fails outright, as in Qdrant's checker.
    /// </summary>
    private bool MatchesExcept(Value value, bool keywords) => value.KindCase switch
    {
        Value.KindOneofCase.None or Value.KindOneofCase.NullValue => false,
        Value.KindOneofCase.StringValue => !keywords || !_strings!.Contains(value.StringValue),
        Value.KindOneofCase.IntegerValue => keywords || !_integers!.Contains(value.IntegerValue),
        _ => true,
    };
}
