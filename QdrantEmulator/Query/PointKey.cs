using System.Buffers.Binary;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Query;

/// <summary>
/// A point id as Qdrant orders it: every numeric id before every UUID; UUIDs by their 16 bytes, big-endian.
/// </summary>
/// <remarks>
/// A UUID is kept as two big-endian halves so that comparing (high, low) as unsigned numbers is exactly
/// Rust's byte-wise order. <see cref="Guid"/>'s own CompareTo does not give that order: its first three
/// fields are stored little-endian.
/// </remarks>
internal readonly struct PointKey : IEquatable<PointKey>, IComparable<PointKey>
{
    private const string UrnPrefix = "urn:uuid:";

    private readonly bool _isUuid;
    private readonly ulong _high; // the number itself for a numeric id
    private readonly ulong _low;

    private PointKey(bool isUuid, ulong high, ulong low)
    {
        _isUuid = isUuid;
        _high = high;
        _low = low;
    }

    public static PointKey FromNum(ulong num) => new(false, num, 0);

    public static PointKey FromUuid(Guid uuid)
    {
        Span<byte> bytes = stackalloc byte[16];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        return new(true, BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    /// <summary>Parses a wire id; throws RpcException(InvalidArgument) with Qdrant's texts ("No ID options provided", "Unable to parse UUID: s").</summary>
    public static PointKey Parse(PointId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.PointIdOptionsCase switch
        {
            PointId.PointIdOptionsOneofCase.Num => FromNum(id.Num),
            PointId.PointIdOptionsOneofCase.Uuid => TryParseUuid(id.Uuid, out var uuid)
                ? FromUuid(uuid)
                : throw new RpcException(new Status(StatusCode.InvalidArgument, $"Unable to parse UUID: {id.Uuid}")),
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "No ID options provided")),
        };
    }

    /// <summary>
    /// The forms Rust's uuid crate accepts: simple (32 hex digits), hyphenated, braced and <c>urn:uuid:</c>.
    /// Guid.TryParse alone is wider (parentheses, hex-struct form, surrounding blanks), so each form is matched exactly.
    /// </summary>
    internal static bool TryParseUuid(string text, out Guid uuid)
    {
        uuid = default;
        var span = text.AsSpan();
        if (span.StartsWith(UrnPrefix, StringComparison.Ordinal))
        {
            span = span[UrnPrefix.Length..];
            return span.Length == 36 && Guid.TryParseExact(span, "D", out uuid);
        }

        return span.Length switch
        {
            32 => Guid.TryParseExact(span, "N", out uuid),
            36 => Guid.TryParseExact(span, "D", out uuid),
            38 => Guid.TryParseExact(span, "B", out uuid),
            _ => false,
        };
    }

    public bool IsNum => !_isUuid;

    public ulong Num => _isUuid ? throw new InvalidOperationException($"Point id {this} is a UUID, not a number.") : _high;

    public Guid Uuid
    {
        get
        {
            if (!_isUuid)
            {
                throw new InvalidOperationException($"Point id {this} is a number, not a UUID.");
            }

            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, _high);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _low);
            return new Guid(bytes, bigEndian: true);
        }
    }

    /// <summary>UUIDs are returned lower-case hyphenated.</summary>
    public PointId ToPointId() => _isUuid ? new PointId { Uuid = Uuid.ToString("D") } : new PointId { Num = _high };

    public int CompareTo(PointKey other)
    {
        if (_isUuid != other._isUuid)
        {
            return _isUuid ? 1 : -1;
        }

        var byHigh = _high.CompareTo(other._high);
        return byHigh != 0 ? byHigh : _low.CompareTo(other._low);
    }

    public bool Equals(PointKey other) => _isUuid == other._isUuid && _high == other._high && _low == other._low;
    public override bool Equals(object? obj) => obj is PointKey other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_isUuid, _high, _low);
    public override string ToString() => _isUuid ? Uuid.ToString("D") : _high.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool operator ==(PointKey left, PointKey right) => left.Equals(right);
    public static bool operator !=(PointKey left, PointKey right) => !left.Equals(right);
    public static bool operator <(PointKey left, PointKey right) => left.CompareTo(right) < 0;
    public static bool operator >(PointKey left, PointKey right) => left.CompareTo(right) > 0;
    public static bool operator <=(PointKey left, PointKey right) => left.CompareTo(right) <= 0;
    public static bool operator >=(PointKey left, PointKey right) => left.CompareTo(right) >= 0;
}
