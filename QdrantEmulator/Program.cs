using QdrantEmulator.Hosting;

return await EmulatorCommandLine.Create().Parse(args).InvokeAsync();
