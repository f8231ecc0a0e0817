using System.Net.Sockets;
using Grpc.Core;
using Polly.CircuitBreaker;
using QdrantPool.Resilience;

namespace QdrantPool.Tests.Resilience;

/// <summary>The retry table of the README ("Retries"), row by row.</summary>
public class TransientFailuresTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, true, true)]
    [InlineData(StatusCode.Unavailable, false, false)]
    [InlineData(StatusCode.DeadlineExceeded, true, true)]
    [InlineData(StatusCode.DeadlineExceeded, false, false)]
    [InlineData(StatusCode.Unauthenticated, true, false)]
    [InlineData(StatusCode.PermissionDenied, true, false)]
    [InlineData(StatusCode.InvalidArgument, true, false)]
    [InlineData(StatusCode.NotFound, true, false)]
    [InlineData(StatusCode.AlreadyExists, true, false)]
    [InlineData(StatusCode.AlreadyExists, false, false)]
    [InlineData(StatusCode.Internal, true, false)]
    [InlineData(StatusCode.Unknown, true, false)]
    [InlineData(StatusCode.Cancelled, true, false)]
    [InlineData(StatusCode.ResourceExhausted, true, false)]
    [InlineData(StatusCode.FailedPrecondition, true, false)]
    [InlineData(StatusCode.Unimplemented, true, false)]
    public void IsTransient_StatusCode_OnlyTransientCodesRetried(StatusCode code, bool idempotent, bool expected)
    {
        Assert.Equal(expected, TransientFailures.IsTransient(new RpcException(new Status(code, "x")), idempotent));
    }

    [Fact]
    public void IsTransient_InternalCausedByConnectionReset_RetriedOnlyWhenIdempotent()
    {
        var rpc = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call", new HttpRequestException("reset", new IOException("broken pipe"))));

        Assert.True(TransientFailures.IsTransient(rpc, idempotent: true));
        Assert.False(TransientFailures.IsTransient(rpc, idempotent: false));
    }

    [Fact]
    public void IsTransient_UnauthenticatedEvenWithConnectionCause_NeverRetried()
    {
        var rpc = new RpcException(new Status(StatusCode.Unauthenticated, "bad key", new IOException()));

        Assert.False(TransientFailures.IsTransient(rpc, idempotent: true));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void IsTransient_ConnectionRefusedBeforeSending_RetriedEitherWay(bool idempotent)
    {
        var socket = new RpcException(new Status(StatusCode.Unavailable, "Error connecting", new SocketException((int)SocketError.ConnectionRefused)));
        var http = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused");

        Assert.True(TransientFailures.IsTransient(socket, idempotent));
        Assert.True(TransientFailures.IsTransient(http, idempotent));
    }

    [Theory]
    [InlineData(typeof(HttpRequestException), true)]
    [InlineData(typeof(IOException), true)]
    [InlineData(typeof(SocketException), true)]
    [InlineData(typeof(InvalidOperationException), false)]
    [InlineData(typeof(OperationCanceledException), false)]
    public void IsTransient_ConnectionExceptions_RetriedWhenIdempotent(Type type, bool expected)
    {
        var exception = (Exception)Activator.CreateInstance(type)!;

        Assert.Equal(expected, TransientFailures.IsTransient(exception, idempotent: true));
        Assert.False(TransientFailures.IsTransient(exception, idempotent: false));
    }

    [Fact]
    public void IsTransient_PoolExhaustedOpenCircuitOrNull_NotRetried()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused");

        Assert.False(TransientFailures.IsTransient(new QdrantPoolExhaustedException("exhausted"), true));
        Assert.False(TransientFailures.IsTransient(new BrokenCircuitException("open", refused), true));
        Assert.False(TransientFailures.IsTransient(new BrokenCircuitException("open", refused), false));
        Assert.False(TransientFailures.IsTransient(null, true));
        Assert.False(TransientFailures.IsTransient(null, false));
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.DeadlineExceeded, false)]
    [InlineData(StatusCode.NotFound, false)]
    [InlineData(StatusCode.Unauthenticated, false)]
    public void IsConnectionFailure_StatusCode_OnlyUnavailableTakesTheConnectionOut(StatusCode code, bool expected)
    {
        Assert.Equal(expected, TransientFailures.IsConnectionFailure(new RpcException(new Status(code, "x"))));
    }

    [Theory]
    [InlineData(StatusCode.Cancelled)]
    [InlineData(StatusCode.DeadlineExceeded)]
    public void IsConnectionFailure_CancelledOrDeadlineWithIoUnderneath_KeepsTheConnection(StatusCode code)
    {
        var rpc = new RpcException(new Status(code, "x", new IOException("The request was aborted")));

        Assert.False(TransientFailures.IsConnectionFailure(rpc));
        Assert.False(TransientFailures.IsTransient(new RpcException(new Status(StatusCode.Cancelled, "x", new IOException())), idempotent: true));
    }

    [Fact]
    public void IsConnectionFailure_IoUnderAnotherStatus_TakesTheConnectionOut()
    {
        Assert.True(TransientFailures.IsConnectionFailure(new RpcException(new Status(StatusCode.Internal, "x", new IOException()))));
        Assert.True(TransientFailures.IsConnectionFailure(new SocketException()));
        Assert.False(TransientFailures.IsConnectionFailure(new InvalidOperationException()));
        Assert.False(TransientFailures.IsConnectionFailure(new OperationCanceledException()));
    }
}
