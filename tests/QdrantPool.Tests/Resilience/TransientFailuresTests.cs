using System.Net.Sockets;
using Grpc.Core;
using QdrantPool.Resilience;

namespace QdrantPool.Tests.Resilience;

public class TransientFailuresTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, false, true)]
    [InlineData(StatusCode.Unavailable, true, true)]
    [InlineData(StatusCode.DeadlineExceeded, false, false)]
    [InlineData(StatusCode.DeadlineExceeded, true, true)]
    [InlineData(StatusCode.Unauthenticated, true, false)]
    [InlineData(StatusCode.PermissionDenied, true, false)]
    [InlineData(StatusCode.InvalidArgument, true, false)]
    [InlineData(StatusCode.NotFound, true, false)]
    [InlineData(StatusCode.AlreadyExists, true, false)]
    [InlineData(StatusCode.Internal, true, false)]
    [InlineData(StatusCode.Unknown, true, false)]
    [InlineData(StatusCode.Cancelled, true, false)]
    [InlineData(StatusCode.ResourceExhausted, true, false)]
    [InlineData(StatusCode.FailedPrecondition, true, false)]
    [InlineData(StatusCode.Unimplemented, true, false)]
    public void IsTransient_StatusCode_OnlyTransientCodesRetried(StatusCode code, bool retryOnDeadline, bool expected)
    {
        Assert.Equal(expected, TransientFailures.IsTransient(new RpcException(new Status(code, "x")), retryOnDeadline));
    }

    [Fact]
    public void IsTransient_InternalCausedByConnectionReset_Retried()
    {
        var rpc = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call", new HttpRequestException("reset", new IOException("broken pipe"))));

        Assert.True(TransientFailures.IsTransient(rpc, retryOnDeadlineExceeded: false));
    }

    [Fact]
    public void IsTransient_UnauthenticatedEvenWithConnectionCause_NeverRetried()
    {
        var rpc = new RpcException(new Status(StatusCode.Unauthenticated, "bad key", new IOException()));

        Assert.False(TransientFailures.IsTransient(rpc, retryOnDeadlineExceeded: true));
    }

    [Theory]
    [InlineData(typeof(HttpRequestException), true)]
    [InlineData(typeof(IOException), true)]
    [InlineData(typeof(SocketException), true)]
    [InlineData(typeof(InvalidOperationException), false)]
    [InlineData(typeof(OperationCanceledException), false)]
    public void IsTransient_ConnectionExceptions_Retried(Type type, bool expected)
    {
        Assert.Equal(expected, TransientFailures.IsTransient((Exception)Activator.CreateInstance(type)!, retryOnDeadlineExceeded: false));
    }

    [Fact]
    public void IsTransient_PoolExhaustedOrNull_NotRetried()
    {
        Assert.False(TransientFailures.IsTransient(new QdrantPoolExhaustedException("exhausted"), true));
        Assert.False(TransientFailures.IsTransient(null, true));
    }
}
