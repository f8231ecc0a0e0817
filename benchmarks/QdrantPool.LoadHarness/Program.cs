using QdrantPool.LoadHarness;

// The command and its defaults are in HarnessCommand; README.md gives the command behind the published table.
return await HarnessCommand.Create().Parse(args).InvokeAsync();
