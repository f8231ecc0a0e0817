using System.Collections;
using System.CommandLine;
using QdrantEmulator.Hosting;

namespace QdrantEmulator.Tests.Hosting;

public sealed class EmulatorCommandLineTests
{
    [Fact]
    public void ToSettings_OptionAndVariable_OptionWins()
    {
        var environment = new Hashtable { ["QDRANT__SERVICE__GRPC_PORT"] = "7334", ["QDRANT__SERVICE__API_KEY"] = "from-env" };
        var result = EmulatorCommandLine.Create().Parse(["--grpc-port", "0", "--storage-path", "/tmp/x"]);

        var settings = EmulatorCommandLine.ToSettings(result, environment);

        Assert.Equal(0, settings.GrpcPort);
        Assert.Equal("/tmp/x", settings.StoragePath);
        Assert.Equal("from-env", settings.ApiKey);
        Assert.Equal(6333, settings.HttpPort);
    }

    [Fact]
    public void Parse_Help_ListsEveryOption()
    {
        var help = EmulatorCommandLine.Create().Options.Select(option => option.Name).ToList();

        Assert.Superset(
            new HashSet<string> { "--api-key", "--read-only-api-key", "--host", "--grpc-port", "--http-port", "--storage-path" },
            help.ToHashSet());
    }

    [Fact]
    public void Invoke_Help_PrintsEveryOptionWithItsVariableAndDefault()
    {
        using var output = new StringWriter();

        var exitCode = EmulatorCommandLine.Create().Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output });

        var help = output.ToString();
        Assert.Equal(0, exitCode);
        foreach (var (option, variable, defaultValue) in new[]
        {
            ("--api-key", "QDRANT__SERVICE__API_KEY", "none"),
            ("--read-only-api-key", "QDRANT__SERVICE__READ_ONLY_API_KEY", "none"),
            ("--host", "QDRANT__SERVICE__HOST", "127.0.0.1"),
            ("--grpc-port", "QDRANT__SERVICE__GRPC_PORT", "6334"),
            ("--http-port", "QDRANT__SERVICE__HTTP_PORT", "6333"),
            ("--storage-path", "QDRANT__STORAGE__STORAGE_PATH", "./storage"),
        })
        {
            Assert.Contains(option, help, StringComparison.Ordinal);
            Assert.Contains($"env: {variable}; default: {defaultValue}", help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Invoke_PortOutOfRange_ExitsOneNamingTheSettingWithoutStackTrace()
    {
        using var error = new StringWriter();
        var storage = Path.Combine(Path.GetTempPath(), "qdrant-emulator-cli", Guid.NewGuid().ToString("N"));

        var exitCode = await EmulatorCommandLine.Create()
            .Parse(["--grpc-port", "70000", "--http-port", "0", "--storage-path", storage])
            .InvokeAsync(new InvocationConfiguration { Error = error, Output = TextWriter.Null });

        Assert.Equal(1, exitCode);
        Assert.StartsWith("QdrantEmulator could not start: QDRANT__SERVICE__GRPC_PORT (--grpc-port) must be 0..65535, was 70000.", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }

    [Fact]
    public async Task Invoke_StorageFolderInUse_ExitsOneSayingSo()
    {
        var storage = Path.Combine(Path.GetTempPath(), "qdrant-emulator-cli", Guid.NewGuid().ToString("N"));
        using var error = new StringWriter();
        try
        {
            await using var first = await EmulatorHost.StartAsync(new EmulatorSettings { GrpcPort = 0, HttpPort = 0, StoragePath = storage });

            var exitCode = await EmulatorCommandLine.Create()
                .Parse(["--grpc-port", "0", "--http-port", "0", "--storage-path", storage])
                .InvokeAsync(new InvocationConfiguration { Error = error, Output = TextWriter.Null });

            Assert.Equal(1, exitCode);
            Assert.Contains("is in use by another emulator", error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error.ToString());
        }
        finally
        {
            Directory.Delete(storage, recursive: true);
        }
    }
}
