using QdrantEmulator.Benchmarks;

return await BenchmarkCommand.Create().Parse(args).InvokeAsync();
