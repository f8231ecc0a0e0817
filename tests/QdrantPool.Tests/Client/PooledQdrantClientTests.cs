using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantPool.Client;
using QdrantPool.Tests.Resilience;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests.Client;

/// <summary>The drop-in QdrantClient over the pool, on scripted in-memory connections (faults and timing under control).</summary>
public class PooledQdrantClientTests
{
    [Fact]
    public async Task PooledClient_Call_BorrowsALeaseForTheCallAndReturnsIt()
    {
        var inCall = new TaskCompletionSource();
        var proceed = new TaskCompletionSource();
        var factory = new TestConnectionFactory { CallHandler = async (_, _) => { inCall.TrySetResult(); await proceed.Task; } };
        await using var ctx = PoolTestContext.Create(factory: factory);
        using var client = QdrantPooledClientFactory.Create(ctx.Pool);

        var call = client.ListCollectionsAsync();
        await inCall.Task.WaitAsync(TimeSpan.FromSeconds(30));
        ctx.AssertPoolState(total: 1, idle: 0, leased: 1);
        proceed.SetResult();
        await call;

        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
        Assert.Equal((1, 1), (ctx.Pool.GetStats().TotalAcquires, ctx.Pool.GetStats().TotalReleases));
    }

    [Fact]
    public async Task PooledClient_OneOfThreeConnectionsAnswersUnavailable_RetryMovesToAnotherConnection()
    {
        await using var ctx = PoolTestContext.Create(o => (o.MinSize, o.MaxSize) = (3, 3));
        var (broken, attempts) = await BrokenConnectionFailoverTests.BreakFirstScannedConnectionAsync(ctx);
        using var client = QdrantPooledClientFactory.Create(ctx.Pool);

        await client.ListCollectionsAsync();

        Assert.Equal(1, attempts.Count(n => n == broken));
        Assert.Contains(attempts, n => n != broken);
        await ctx.WaitForPoolStateAsync(total: 3, idle: 3, leased: 0);
        Assert.True(ctx.Factory.Opened.Single(t => t.Number == broken).IsDisposed, "the broken connection was not retired");
    }

    [Fact]
    public async Task PooledClient_CreateCollectionReplyLost_NotRetried()
    {
        var creates = 0;
        var factory = new TestConnectionFactory
        {
            // The server creates the collection, then the reply is lost; a second Create would answer AlreadyExists.
            CallHandler = (method, _) => method == "/qdrant.Collections/Create"
                ? throw PoolTestContext.Rpc(Interlocked.Increment(ref creates) == 1 ? StatusCode.Unavailable : StatusCode.AlreadyExists)
                : Task.CompletedTask,
        };
        await using var ctx = PoolTestContext.Create(factory: factory);
        using var client = QdrantPooledClientFactory.Create(ctx.Pool);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync("memories", new VectorParams { Size = 4, Distance = Distance.Cosine }));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(1, creates);
    }

    [Fact]
    public async Task PooledClient_IdempotentMethodUnavailable_RetriedByTheTable()
    {
        var calls = 0;
        var factory = new TestConnectionFactory { CallHandler = (_, _) => Interlocked.Increment(ref calls) <= 2 ? throw PoolTestContext.Rpc(StatusCode.Unavailable) : Task.CompletedTask };
        await using var ctx = PoolTestContext.Create(factory: factory);
        using var client = QdrantPooledClientFactory.Create(ctx.Pool);

        await client.UpsertAsync("memories", [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f } }]);

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task PooledClient_CircuitOpen_FailsFastWithQdrantPoolCircuitOpenException()
    {
        var factory = new TestConnectionFactory { CallHandler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unavailable) };
        await using var ctx = PoolTestContext.Create(
            o =>
            {
                o.MaxRetryAttempts = 0;
                o.CircuitBreakerMinimumThroughput = 2;
                o.CircuitBreakerFailureRatio = 0.5;
            },
            factory);
        using var client = QdrantPooledClientFactory.Create(ctx.Pool);

        await Assert.ThrowsAsync<RpcException>(() => client.ListCollectionsAsync());
        await Assert.ThrowsAsync<RpcException>(() => client.ListCollectionsAsync());
        var before = factory.Opened.Sum(t => t.Invoker.Calls);

        var ex = await Assert.ThrowsAsync<QdrantPoolCircuitOpenException>(() => client.ListCollectionsAsync());

        Assert.Contains(ctx.Pool.Name, ex.Message);
        Assert.Equal(before, factory.Opened.Sum(t => t.Invoker.Calls));
    }

    [Fact]
    public async Task PooledClient_CircuitOpenedByExecuteAsync_AlsoFailsFast()
    {
        var factory = new TestConnectionFactory { CallHandler = (_, _) => throw PoolTestContext.Rpc(StatusCode.Unavailable) };
        await using var ctx = PoolTestContext.Create(o => (o.MaxRetryAttempts, o.CircuitBreakerMinimumThroughput) = (0, 2), factory);
        using var client = QdrantPooledClientFactory.Create(ctx.Pool);

        await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.ExecuteAsync((c, ct) => c.ListCollectionsAsync(ct), idempotent: true));
        await Assert.ThrowsAsync<RpcException>(() => ctx.Pool.ExecuteAsync((c, ct) => c.ListCollectionsAsync(ct), idempotent: true));

        await Assert.ThrowsAsync<QdrantPoolCircuitOpenException>(() => client.ListCollectionsAsync());
    }

    [Fact]
    public async Task PooledClient_ServerStream_HoldsItsLeaseUntilTheStreamEnds()
    {
        var items = Channel.CreateUnbounded<string>();
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Factory.Opened.Single().Invoker.StreamFactory = _ => new QueueStreamReader(items.Reader);
        var invoker = new PooledCallInvoker(ctx.Pool);

        using var call = invoker.AsyncServerStreamingCall(StreamMethod, null, default, "request");
        items.Writer.TryWrite("one");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("one", call.ResponseStream.Current);
        ctx.AssertPoolState(total: 1, idle: 0, leased: 1);

        items.Writer.Complete();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));

        ctx.AssertPoolState(total: 1, idle: 1, leased: 0);
    }

    [Fact]
    public async Task PooledClient_ServerStreamDisposedEarly_ReturnsItsLease()
    {
        var items = Channel.CreateUnbounded<string>();
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Factory.Opened.Single().Invoker.StreamFactory = _ => new QueueStreamReader(items.Reader);
        var invoker = new PooledCallInvoker(ctx.Pool);

        var call = invoker.AsyncServerStreamingCall(StreamMethod, null, default, "request");
        items.Writer.TryWrite("one");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        call.Dispose();

        await ctx.WaitForPoolStateAsync(total: 1, idle: 1, leased: 0);
    }

    [Fact]
    public async Task PooledInvoker_UnaryCallSucceeds_HeadersStatusAndTrailersOfTheAttempt()
    {
        var proceed = new TaskCompletionSource();
        var factory = new TestConnectionFactory { CallHandler = (_, _) => proceed.Task };
        await using var ctx = PoolTestContext.Create(factory: factory);
        var invoker = new PooledCallInvoker(ctx.Pool);

        using var call = invoker.AsyncUnaryCall(UnaryMethod, null, default, new ListCollectionsRequest());
        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        proceed.SetResult();
        await call.ResponseAsync;

        Assert.NotNull(await call.ResponseHeadersAsync);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.NotNull(call.GetTrailers());
    }

    [Fact]
    public async Task PooledInvoker_UnaryCallFails_StatusOfTheFailure()
    {
        var factory = new TestConnectionFactory { CallHandler = (_, _) => throw PoolTestContext.Rpc(StatusCode.NotFound) };
        await using var ctx = PoolTestContext.Create(factory: factory);
        var invoker = new PooledCallInvoker(ctx.Pool);

        using var call = invoker.AsyncUnaryCall(UnaryMethod, null, default, new ListCollectionsRequest());
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.NotNull(await call.ResponseHeadersAsync);
        Assert.Equal(StatusCode.NotFound, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task PooledInvoker_AcquireFails_StatusUnavailableAndNoHeaders()
    {
        var factory = new TestConnectionFactory { BeforeOpen = (_, _) => throw new InvalidOperationException("cannot open") };
        await using var ctx = PoolTestContext.Create(o => (o.MaxRetryAttempts, o.AcquireTimeout) = (0, TimeSpan.FromSeconds(1)), factory);
        var invoker = new PooledCallInvoker(ctx.Pool);

        using var call = invoker.AsyncUnaryCall(UnaryMethod, null, default, new ListCollectionsRequest());
        var task = call.ResponseAsync;
        await ctx.AdvanceUntilCompletedAsync(task, TimeSpan.FromMilliseconds(250));
        await Assert.ThrowsAnyAsync<Exception>(() => task);

        Assert.Empty(await call.ResponseHeadersAsync);
        Assert.Equal(StatusCode.Unavailable, call.GetStatus().StatusCode);
        Assert.Empty(call.GetTrailers());
    }

    [Fact]
    public async Task PooledInvoker_CallDisposedWhileRunning_CancelledAndLeaseReturned()
    {
        var inCall = new TaskCompletionSource();
        var factory = new TestConnectionFactory { CallHandler = async (_, ct) => { inCall.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); } };
        await using var ctx = PoolTestContext.Create(factory: factory);
        var invoker = new PooledCallInvoker(ctx.Pool);
        var cts = new CancellationTokenSource();

        var call = invoker.AsyncUnaryCall(UnaryMethod, null, new CallOptions(cancellationToken: cts.Token), new ListCollectionsRequest());
        await inCall.Task.WaitAsync(TimeSpan.FromSeconds(30));
        call.Dispose();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseAsync);
        await ctx.WaitForPoolStateAsync(total: 1, idle: 1, leased: 0);
    }

    [Fact]
    public async Task PooledInvoker_BlockingUnaryCall_ReturnsTheReply()
    {
        await using var ctx = PoolTestContext.Create();
        var invoker = new PooledCallInvoker(ctx.Pool);

        var reply = await Task.Run(() => invoker.BlockingUnaryCall(UnaryMethod, null, default, new ListCollectionsRequest()));

        Assert.NotNull(reply);
    }

    [Fact]
    public async Task PooledClient_ServerStreamFails_LeaseReturned()
    {
        await using var ctx = PoolTestContext.Create(o => o.MinSize = 1);
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        ctx.Factory.Opened.Single().Invoker.StreamFactory = _ => new FailingStreamReader();
        var invoker = new PooledCallInvoker(ctx.Pool);

        using var call = invoker.AsyncServerStreamingCall(StreamMethod, null, default, "request");
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.NotNull(await call.ResponseHeadersAsync);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.NotNull(call.GetTrailers());
        await ctx.WaitForPoolStateAsync(total: 1, idle: 1, leased: 0);
    }

    [Fact]
    public void PooledInvoker_ClientAndDuplexStreaming_NotSupported()
    {
        var invoker = new PooledCallInvoker(null!);

        Assert.Throws<NotSupportedException>(() => invoker.AsyncClientStreamingCall(StreamMethod, null, default));
        Assert.Throws<NotSupportedException>(() => invoker.AsyncDuplexStreamingCall(StreamMethod, null, default));
    }

    [Fact]
    public async Task PooledClient_Disposed_LeavesThePoolOpen()
    {
        await using var ctx = PoolTestContext.Create();
        QdrantPooledClientFactory.Create(ctx.Pool).Dispose();

        await using var lease = await ctx.Pool.AcquireAsync();

        Assert.NotNull(lease.Client);
    }

    private static readonly Marshaller<string> StringMarshaller = Marshallers.Create(s => System.Text.Encoding.UTF8.GetBytes(s), b => System.Text.Encoding.UTF8.GetString(b));

    private static readonly Method<string, string> StreamMethod = new(MethodType.ServerStreaming, "test.Streams", "Read", StringMarshaller, StringMarshaller);

    private static readonly Method<ListCollectionsRequest, ListCollectionsResponse> UnaryMethod = new(
        MethodType.Unary,
        "qdrant.Collections",
        "List",
        Marshallers.Create<ListCollectionsRequest>(m => [], _ => new ListCollectionsRequest()),
        Marshallers.Create<ListCollectionsResponse>(m => [], _ => new ListCollectionsResponse()));

    private sealed class FailingStreamReader : IAsyncStreamReader<string>
    {
        public string Current => throw new InvalidOperationException();

        public Task<bool> MoveNext(CancellationToken cancellationToken) => throw PoolTestContext.Rpc(StatusCode.Unavailable);
    }

    private sealed class QueueStreamReader(ChannelReader<string> reader) : IAsyncStreamReader<string>
    {
        public string Current { get; private set; } = "";

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await reader.WaitToReadAsync(cancellationToken))
            {
                return false;
            }

            Current = await reader.ReadAsync(cancellationToken);
            return true;
        }
    }
}
