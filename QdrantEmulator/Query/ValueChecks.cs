using Grpc.Core;
using System.Globalization;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Query;

/// <summary>Single-value tests shared by the condition checks.</summary>
internal static class ValueChecks
{
    public static bool IsNull(Value value) =>
        value.KindCase is Value.KindOneofCase.NullValue or Value.KindOneofCase.None;

    /// <summary>is_empty inside a field condition: null or <c>[]</c>.</summary>
    public static bool IsEmptyValue(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.None or Value.KindOneofCase.NullValue => true,
        Value.KindOneofCase.ListValue => value.ListValue.Values.Count == 0,
        _ => false,
    };

    /// <summary>is_null inside a field condition: null, or an array holding a null.</summary>
    public static bool IsNullOrHoldsNull(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.None or Value.KindOneofCase.NullValue => true,
        Value.KindOneofCase.ListValue => value.ListValue.Values.Any(IsNull),
        _ => false,
    };

    public static bool TryGetNumber(Value value, out double number)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.IntegerValue:
                number = value.IntegerValue;
                return true;
            case Value.KindOneofCase.DoubleValue:
                number = value.DoubleValue;
                return true;
            default:
                number = 0;
                return false;
        }
    }

    public static bool InRange(Qdrant.Client.Grpc.Range range, Value value) =>
        TryGetNumber(value, out var number)
        && (!range.HasLt || number < range.Lt)
        && (!range.HasGt || number > range.Gt)
        && (!range.HasLte || number <= range.Lte)
        && (!range.HasGte || number >= range.Gte);

    /// <summary>values_count: an array counts its elements, null counts 0, anything else 1.</summary>
    public static bool CountMatches(ValuesCount count, Value value)
    {
        ulong n = value.KindCase switch
        {
            Value.KindOneofCase.None or Value.KindOneofCase.NullValue => 0,
            Value.KindOneofCase.ListValue => (ulong)value.ListValue.Values.Count,
            _ => 1,
        };
        return (!count.HasLt || n < count.Lt)
            && (!count.HasGt || n > count.Gt)
            && (!count.HasLte || n <= count.Lte)
            && (!count.HasGte || n >= count.Gte);
    }
}

/// <summary>A datetime range over RFC 3339 strings.</summary>
internal sealed class DatetimeRangeCheck(DatetimeRange range)
{
    private readonly DateTimeOffset? _lt = range.Lt?.ToDateTimeOffset();
    private readonly DateTimeOffset? _gt = range.Gt?.ToDateTimeOffset();
    private readonly DateTimeOffset? _lte = range.Lte?.ToDateTimeOffset();
    private readonly DateTimeOffset? _gte = range.Gte?.ToDateTimeOffset();

    public bool Matches(Value value)
    {
        if (value.KindCase != Value.KindOneofCase.StringValue
            || !DateTimeOffset.TryParse(value.StringValue, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return false;
        }

        return (_lt is null || at < _lt) && (_gt is null || at > _gt) && (_lte is null || at <= _lte) && (_gte is null || at >= _gte);
    }
}

/// <summary>Geo conditions over payload objects <c>{"lon": x, "lat": y}</c>.</summary>
internal sealed class GeoChecks
{
    private const double EarthRadiusMeters = 6_371_008.8;

    private readonly GeoBoundingBox? _box;
    private readonly GeoRadius? _radius;
    private readonly GeoPolygon? _polygon;

    private GeoChecks(GeoBoundingBox? box, GeoRadius? radius, GeoPolygon? polygon)
    {
        _box = box;
        _radius = radius;
        _polygon = polygon;
    }

    public static GeoChecks? From(FieldCondition field)
    {
        if (field.GeoBoundingBox is null && field.GeoRadius is null && field.GeoPolygon is null)
        {
            return null;
        }

        if (field.GeoBoundingBox is { } box && (box.TopLeft is null || box.BottomRight is null))
        {
            throw Invalid("Malformed GeoBoundingBox type");
        }

        if (field.GeoRadius is { Center: null })
        {
            throw Invalid("Malformed GeoRadius type");
        }

        if (field.GeoPolygon is { Exterior: null })
        {
            throw Invalid("Malformed GeoPolygon type - field `exterior` is required");
        }

        return new GeoChecks(field.GeoBoundingBox, field.GeoRadius, field.GeoPolygon);
    }

    public bool Matches(Value value)
    {
        if (value.KindCase != Value.KindOneofCase.StructValue
            || !value.StructValue.Fields.TryGetValue("lon", out var lonValue)
            || !value.StructValue.Fields.TryGetValue("lat", out var latValue)
            || !ValueChecks.TryGetNumber(lonValue, out var lon)
            || !ValueChecks.TryGetNumber(latValue, out var lat))
        {
            return false;
        }

        return (_box is not null && InBox(_box, lon, lat))
            || (_radius is not null && Haversine(_radius.Center.Lon, _radius.Center.Lat, lon, lat) < _radius.Radius)
            || (_polygon is not null && InPolygon(_polygon, lon, lat));
    }

    private static bool InBox(GeoBoundingBox box, double lon, double lat)
    {
        var (left, right) = (box.TopLeft.Lon, box.BottomRight.Lon);
        // A box whose left edge is east of its right edge crosses the antimeridian.
        var lonInside = left <= right ? lon >= left && lon <= right : lon >= left || lon <= right;
        return lonInside && lat <= box.TopLeft.Lat && lat >= box.BottomRight.Lat;
    }

    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        static double Rad(double deg) => deg * Math.PI / 180.0;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusMeters * Math.Asin(Math.Sqrt(a));
    }

    private static bool InPolygon(GeoPolygon polygon, double lon, double lat) =>
        InRing(polygon.Exterior, lon, lat) && !polygon.Interiors.Any(ring => InRing(ring, lon, lat));

    // Ray casting on the plane: good enough for a development stand-in away from the poles.
    private static bool InRing(GeoLineString ring, double lon, double lat)
    {
        var inside = false;
        var points = ring.Points;
        for (int i = 0, j = points.Count - 1; i < points.Count; j = i++)
        {
            var (xi, yi, xj, yj) = (points[i].Lon, points[i].Lat, points[j].Lon, points[j].Lat);
            if ((yi > lat) != (yj > lat) && lon < ((xj - xi) * (lat - yi) / (yj - yi)) + xi)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    private static RpcException Invalid(string message) =>
        new(new Status(StatusCode.InvalidArgument, message));
}
