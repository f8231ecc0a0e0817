using BenchmarkDotNet.Running;
using MemoryService.Benchmarks;

// BenchmarkDotNet's usual arguments (e.g. --filter '*'); README.md gives the command used.
// --load instead times loading the model (the first call's cost), which a steady-state benchmark hides.
if (args is ["--load"])
{
    await ModelLoad.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ModelLoad).Assembly).Run(args);
