namespace Reliability.Tests.Support;

/// <summary>What <see cref="FaultProxy"/> does with traffic; switched at run time by the test.</summary>
internal enum FaultMode
{
    /// <summary>Relay every byte both ways (with <see cref="FaultProxy.Latency"/> added to replies, if set).</summary>
    PassThrough,

    /// <summary>
    /// Accept connections and hold every byte without answering, as a network partition does: nothing reaches the
    /// server and nothing comes back. The held bytes flow when the mode returns to <see cref="PassThrough"/>, as TCP
    /// retransmission would deliver them, so an HTTP/2 connection that survives the partition is not corrupted.
    /// </summary>
    BlackHole,

    /// <summary>Accept each new connection and reset it at once (a server that refuses); live connections carry on.</summary>
    ResetOnAccept,
}
