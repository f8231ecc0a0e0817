using Grpc.Core;
using Qdrant.Client.Grpc;
using QdrantEmulator.Query;

namespace QdrantEmulator.Tests.Query;

public sealed class PointKeyTests
{
    private const string Hyphenated = "8f0c6a4e-1b2d-4c3e-9f5a-0123456789ab";

    [Theory]
    [InlineData("8F0C6A4E-1B2D-4C3E-9F5A-0123456789AB")]
    [InlineData("8f0c6a4e1b2d4c3e9f5a0123456789ab")]
    [InlineData("urn:uuid:8f0c6a4e-1b2d-4c3e-9f5a-0123456789ab")]
    [InlineData("{8f0c6a4e-1b2d-4c3e-9f5a-0123456789ab}")]
    public void Parse_AcceptedUuidForms_ReturnLowerCaseHyphenated(string text)
    {
        var key = PointKey.Parse(new PointId { Uuid = text });

        Assert.False(key.IsNum);
        Assert.Equal(Hyphenated, key.ToPointId().Uuid);
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData(" 8f0c6a4e-1b2d-4c3e-9f5a-0123456789ab")]
    [InlineData("(8f0c6a4e-1b2d-4c3e-9f5a-0123456789ab)")]
    [InlineData("")]
    public void Parse_BadUuid_ThrowsQdrantText(string text)
    {
        var error = Assert.Throws<RpcException>(() => PointKey.Parse(new PointId { Uuid = text }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal($"Unable to parse UUID: {text}", error.Status.Detail);
    }

    [Fact]
    public void Parse_NoVariant_ThrowsNoIdOptions()
    {
        var error = Assert.Throws<RpcException>(() => PointKey.Parse(new PointId()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("No ID options provided", error.Status.Detail);
    }

    [Fact]
    public void CompareTo_NumbersAndUuids_NumbersFirstThenUuidBytesBigEndian()
    {
        // Guid's own ordering reads its first fields little-endian; Qdrant compares the 16 bytes as written.
        var lowFirstByte = PointKey.FromUuid(Guid.Parse("01ffffff-0000-0000-0000-000000000000"));
        var highFirstByte = PointKey.FromUuid(Guid.Parse("ff000001-0000-0000-0000-000000000000"));
        var keys = new[] { highFirstByte, PointKey.FromNum(ulong.MaxValue), lowFirstByte, PointKey.FromNum(0), PointKey.FromNum(7) };

        var sorted = keys.Order().ToArray();

        Assert.Equal(new[] { PointKey.FromNum(0), PointKey.FromNum(7), PointKey.FromNum(ulong.MaxValue), lowFirstByte, highFirstByte }, sorted);
    }

    [Fact]
    public void Equals_SameUuidDifferentCase_EqualWithSameHash()
    {
        var a = PointKey.Parse(new PointId { Uuid = Hyphenated.ToUpperInvariant() });
        var b = PointKey.Parse(new PointId { Uuid = Hyphenated });

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(PointKey.FromNum(1), PointKey.FromUuid(Guid.Parse("00000000-0000-0000-0000-000000000001")));
    }

    [Fact]
    public void Uuid_RoundTrip_ReturnsSameGuid()
    {
        var guid = Guid.Parse(Hyphenated);

        Assert.Equal(guid, PointKey.FromUuid(guid).Uuid);
        Assert.Equal(42UL, PointKey.FromNum(42).ToPointId().Num);
    }
}
