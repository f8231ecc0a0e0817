using Reliability.Tests.Support;

namespace Reliability.Tests.Proxy;

public sealed class Http2RequestCounterTests
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    [Fact]
    public void Feed_CountsHeadersFramesOnly_EvenWhenFramesAreSplitAcrossReads()
    {
        var stream = Preface
            .Concat(Frame(type: 0x4, payload: 6))   // SETTINGS
            .Concat(Frame(type: 0x1, payload: 20))  // HEADERS: a request
            .Concat(Frame(type: 0x0, payload: 300)) // DATA
            .Concat(Frame(type: 0x1, payload: 0))   // HEADERS: another
            .ToArray();
        var counter = new Http2RequestCounter();

        var requests = 0;
        foreach (var chunk in stream.Chunk(7))
        {
            requests += counter.Feed(chunk);
        }

        Assert.Equal(2, requests);
    }

    [Fact]
    public void Feed_StreamWithoutThePreface_CountsNothing()
    {
        var counter = new Http2RequestCounter();

        var requests = counter.Feed("GET / HTTP/1.1\r\n\r\n"u8.ToArray().Concat(Frame(0x1, 0)).ToArray());

        Assert.Equal(0, requests);
    }

    private static byte[] Frame(byte type, int payload)
    {
        var frame = new byte[9 + payload];
        frame[0] = (byte)(payload >> 16);
        frame[1] = (byte)(payload >> 8);
        frame[2] = (byte)payload;
        frame[3] = type;
        frame[8] = 1;
        return frame;
    }
}
