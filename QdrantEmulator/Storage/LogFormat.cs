using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Google.Protobuf;

namespace QdrantEmulator.Storage;

/// <summary>
/// The on-disk framing shared by the log and the snapshot:
/// <c>[u32 body length][u32 CRC-32 of body][body]</c>, body = <c>[u8 kind][u64 operation id][u16 name length + UTF-8 name, restore records only][protobuf message]</c>,
/// all little-endian. The checksum lets recovery tell a torn or corrupt record from a good one.
/// </summary>
internal static class LogFormat
{
    public const int HeaderSize = 8;

    // A body this large is not something we wrote; treat it as corruption rather than trying to allocate it.
    private const int MaxBodySize = 1 << 30;

    public static byte[] Encode(LogKind kind, ulong operationId, string? collection, ReadOnlySpan<byte> message)
    {
        var name = collection is null ? [] : Encoding.UTF8.GetBytes(collection);
        var hasName = kind == LogKind.RestorePoints;
        var bodyLength = 1 + 8 + (hasName ? 2 + name.Length : 0) + message.Length;
        var frame = new byte[HeaderSize + bodyLength];
        var body = frame.AsSpan(HeaderSize);
        body[0] = (byte)kind;
        BinaryPrimitives.WriteUInt64LittleEndian(body[1..], operationId);
        var offset = 9;
        if (hasName)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(body[offset..], checked((ushort)name.Length));
            name.CopyTo(body[(offset + 2)..]);
            offset += 2 + name.Length;
        }

        message.CopyTo(body[offset..]);
        BinaryPrimitives.WriteInt32LittleEndian(frame, bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32.HashToUInt32(body));
        return frame;
    }

    public static byte[] Encode(ulong operationId, WriteCommand command) =>
        Encode(command.Kind, operationId, command.Collection, command.Message.ToByteArray());

    /// <summary>
    /// Reads records until the end of the file or the first record that is incomplete or fails its checksum.
    /// <paramref name="stop"/> describes why reading stopped early (null when the whole file was good).
    /// </summary>
    public static IEnumerable<LogEntry> Read(Stream stream, ReadResult result)
    {
        var header = new byte[HeaderSize];
        while (true)
        {
            var start = stream.Position;
            var got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
            if (got == 0)
            {
                yield break;
            }

            var bodyLength = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (got < HeaderSize || bodyLength < 9 || bodyLength > MaxBodySize || bodyLength > stream.Length - start - HeaderSize)
            {
                result.Stop(start, got < HeaderSize ? "incomplete record header" : $"record length {bodyLength} does not fit the file");
                yield break;
            }

            var body = new byte[bodyLength];
            stream.ReadExactly(body);
            if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)))
            {
                result.Stop(start, "checksum mismatch");
                yield break;
            }

            LogEntry entry;
            try
            {
                entry = Decode(body);
            }
            catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException or ArgumentException)
            {
                result.Stop(start, $"undecodable record ({e.Message})");
                yield break;
            }

            result.ValidLength = stream.Position;
            result.Records++;
            yield return entry;
        }
    }

    private static LogEntry Decode(byte[] body)
    {
        var kind = (LogKind)body[0];
        var operationId = BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(1));
        var offset = 9;
        string? collection = null;
        if (kind == LogKind.RestorePoints)
        {
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(offset));
            collection = Encoding.UTF8.GetString(body, offset + 2, nameLength);
            offset += 2 + nameLength;
        }

        var message = WriteCommand.ParserFor(kind).ParseFrom(body.AsSpan(offset));
        return new LogEntry(operationId, new WriteCommand(kind, message, collection));
    }

    /// <summary>How far a read got.</summary>
    internal sealed class ReadResult
    {
        public long ValidLength { get; set; }

        public int Records { get; set; }

        public long? StoppedAt { get; private set; }

        public string? StopReason { get; private set; }

        public void Stop(long offset, string reason)
        {
            StoppedAt = offset;
            StopReason = reason;
        }
    }
}
