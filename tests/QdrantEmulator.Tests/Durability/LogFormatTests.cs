using Qdrant.Client.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Tests.Durability;

public sealed class LogFormatTests
{
    [Fact]
    public void Read_EncodedRecords_RoundTripsKindOperationAndMessage()
    {
        using var stream = new MemoryStream();
        stream.Write(LogFormat.Encode(7, new WriteCommand(LogKind.DeleteCollection, new DeleteCollection { CollectionName = "a" })));
        stream.Write(LogFormat.Encode(8, new WriteCommand(LogKind.RestorePoints, new SearchResponse(), "named")));
        stream.Position = 0;
        var result = new LogFormat.ReadResult();

        var entries = LogFormat.Read(stream, result).ToList();

        Assert.Equal([7ul, 8ul], entries.Select(e => e.OperationId));
        Assert.Equal("a", ((DeleteCollection)entries[0].Command.Message).CollectionName);
        Assert.Equal("named", entries[1].Command.Collection);
        Assert.Null(result.StoppedAt);
        Assert.Equal(stream.Length, result.ValidLength);
    }

    [Fact]
    public void Read_FlippedByteInLastRecord_StopsBeforeIt()
    {
        var first = LogFormat.Encode(1, new WriteCommand(LogKind.DeleteCollection, new DeleteCollection { CollectionName = "a" }));
        var second = LogFormat.Encode(2, new WriteCommand(LogKind.DeleteCollection, new DeleteCollection { CollectionName = "b" }));
        second[^1] ^= 0xFF;
        using var stream = new MemoryStream([.. first, .. second]);
        var result = new LogFormat.ReadResult();

        var entries = LogFormat.Read(stream, result).ToList();

        Assert.Single(entries);
        Assert.Equal(first.Length, result.StoppedAt);
        Assert.Equal("checksum mismatch", result.StopReason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12)]
    public void Read_TornTail_KeepsCompleteRecords(int tornBytes)
    {
        var first = LogFormat.Encode(1, new WriteCommand(LogKind.DeleteCollection, new DeleteCollection { CollectionName = "a" }));
        var second = LogFormat.Encode(2, new WriteCommand(LogKind.DeleteCollection, new DeleteCollection { CollectionName = "bbbbbbbb" }));
        using var stream = new MemoryStream([.. first, .. second.AsSpan(0, tornBytes)]);
        var result = new LogFormat.ReadResult();

        var entries = LogFormat.Read(stream, result).ToList();

        Assert.Single(entries);
        Assert.Equal(first.Length, result.ValidLength);
        Assert.NotNull(result.StopReason);
    }
}
