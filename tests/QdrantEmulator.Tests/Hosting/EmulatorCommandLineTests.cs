using System.Collections;
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
}
