using PoolWorker.Benchmark.Recovery;

namespace PoolWorker.Tests.Support;

/// <summary>The recovery scenario's restart, done in-process instead of by a shell command.</summary>
internal sealed class EmulatorRestarter(BenchmarkEmulator emulator) : IServerRestarter
{
    public string Description => "in-process emulator stopped and started on the same port";

    public Task RestartAsync(CancellationToken cancellationToken) => emulator.RestartAsync();
}
