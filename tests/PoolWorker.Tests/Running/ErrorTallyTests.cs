using Grpc.Core;
using PoolWorker.Benchmark.Running;

namespace PoolWorker.Tests.Running;

public class ErrorTallyTests
{
    [Fact]
    public void Add_CountsByKindAndKeepsTheFirstMessageOfEach()
    {
        var tally = new ErrorTally();
        tally.Add(new RpcException(new Status(StatusCode.Unavailable, "first")));
        tally.Add(new RpcException(new Status(StatusCode.Unavailable, "second")));
        tally.Add(new TimeoutException("slow"));

        Assert.Equal(3, tally.Total);
        var kinds = tally.Kinds.ToList();
        Assert.Equal(("RpcException(Unavailable)", 2L), (kinds[0].Kind, kinds[0].Count));
        Assert.Contains("first", kinds[0].FirstMessage, StringComparison.Ordinal);
        Assert.Equal(("TimeoutException", 1L, "slow"), kinds[1]);
    }
}
