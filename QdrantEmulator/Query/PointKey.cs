using Qdrant.Client.Grpc;

namespace QdrantEmulator.Query;

/// <summary>
/// A point id as Qdrant orders it: every numeric id before every UUID; UUIDs by their 16 bytes, big-endian.
/// </summary>
internal readonly struct PointKey : IEquatable<PointKey>, IComparable<PointKey>
{
    public static PointKey FromNum(ulong num) => throw new NotImplementedException();
    public static PointKey FromUuid(Guid uuid) => throw new NotImplementedException();

    /// <summary>Parses a wire id; throws RpcException(InvalidArgument) with Qdrant's texts ("No ID options provided", "Unable to parse UUID: s").</summary>
    public static PointKey Parse(PointId id) => throw new NotImplementedException();

    public bool IsNum => throw new NotImplementedException();
    public ulong Num => throw new NotImplementedException();
    public Guid Uuid => throw new NotImplementedException();

    /// <summary>UUIDs are returned lower-case hyphenated.</summary>
    public PointId ToPointId() => throw new NotImplementedException();

    public int CompareTo(PointKey other) => throw new NotImplementedException();
    public bool Equals(PointKey other) => throw new NotImplementedException();
    public override bool Equals(object? obj) => obj is PointKey other && Equals(other);
    public override int GetHashCode() => throw new NotImplementedException();
    public override string ToString() => throw new NotImplementedException();
}
