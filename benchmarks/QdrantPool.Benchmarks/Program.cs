using BenchmarkDotNet.Running;
using QdrantPool.Benchmarks;

// BenchmarkDotNet's usual arguments (e.g. --filter '*' --job short); README.md gives the command used.
// --allocations instead prints where a contended acquire's bytes come from.
if (args is ["--allocations"])
{
    await AllocationProfile.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
