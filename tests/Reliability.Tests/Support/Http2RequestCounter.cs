namespace Reliability.Tests.Support;

/// <summary>
/// Counts the requests in a client-to-server HTTP/2 cleartext byte stream (gRPC over <c>http://</c>): one HEADERS
/// frame opens one request (gRPC clients send no trailers). Reads only the 24-byte connection preface and each
/// frame's 9-byte header, never HPACK. A stream that does not start with the preface (HTTP/1.1, TLS) is not counted.
/// </summary>
internal sealed class Http2RequestCounter
{
    private const byte HeadersFrame = 0x1;
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private readonly byte[] _header = new byte[9];
    private int _prefaceSeen;
    private int _headerSeen;
    private long _payloadLeft;
    private bool _notHttp2;

    /// <summary>Feeds the next bytes of the stream; returns how many requests they opened.</summary>
    public int Feed(ReadOnlySpan<byte> bytes)
    {
        var requests = 0;
        while (!bytes.IsEmpty && !_notHttp2)
        {
            if (_prefaceSeen < Preface.Length)
            {
                if (bytes[0] != Preface[_prefaceSeen])
                {
                    _notHttp2 = true;
                    break;
                }

                _prefaceSeen++;
                bytes = bytes[1..];
            }
            else if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, bytes.Length);
                _payloadLeft -= skip;
                bytes = bytes[skip..];
            }
            else
            {
                var take = Math.Min(_header.Length - _headerSeen, bytes.Length);
                bytes[..take].CopyTo(_header.AsSpan(_headerSeen));
                _headerSeen += take;
                bytes = bytes[take..];
                if (_headerSeen == _header.Length)
                {
                    _headerSeen = 0;
                    _payloadLeft = (_header[0] << 16) | (_header[1] << 8) | _header[2];
                    if (_header[3] == HeadersFrame)
                    {
                        requests++;
                    }
                }
            }
        }

        return requests;
    }
}
